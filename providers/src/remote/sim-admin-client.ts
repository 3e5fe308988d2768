/**
 * Client for the sim server's admin hooks, for tests and demos that steer a simulated
 * cloud running in another process: switch faults, change things behind Ganyun's back,
 * move the sim clock, read idempotency counters.
 */
import type { FaultSettings } from '../simulated/faults.ts';
import type { SimMutation } from '../simulated/sim-mutations.ts';

export class SimAdminClient {
  private readonly base: string;

  constructor(
    endpoint: string,
    private readonly token?: string,
  ) {
    this.base = endpoint.replace(/\/+$/, '');
  }

  private async call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const headers: Record<string, string> = { 'content-type': 'application/json' };
    if (this.token !== undefined) headers['authorization'] = `Bearer ${this.token}`;
    const res = await fetch(`${this.base}${path}`, {
      method,
      headers,
      ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`sim admin ${method} ${path}: HTTP ${res.status}: ${text.slice(0, 300)}`);
    return JSON.parse(text) as T;
  }

  setFaults(f: FaultSettings): Promise<FaultSettings> {
    return this.call('PUT', '/faults', f);
  }

  faults(): Promise<FaultSettings> {
    return this.call('GET', '/faults');
  }

  mutate(m: SimMutation): Promise<{ revision: number }> {
    return this.call('POST', '/admin/mutate', m);
  }

  advance(ms: number): Promise<{ now: string }> {
    return this.call('POST', '/admin/advance', { ms });
  }

  idempotency(key: string): Promise<{ key: string; calls: number; effects: number }> {
    return this.call('GET', `/admin/idempotency/${encodeURIComponent(key)}`);
  }

  stats(): Promise<{ cloudId: string; objects: number; revision: number; now: string }> {
    return this.call('GET', '/admin/stats');
  }
}
