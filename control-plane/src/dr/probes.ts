/**
 * Business probes of a DR plan: HTTP (status and body), TCP (connect) and a Prometheus instant query
 * compared with a value. SQL probes need a database connection Ganyun does not hold in this release: they
 * fail with that reason rather than pass unchecked (weight them so the probe's pass rule decides).
 */
import { connect } from 'node:net';
import type { ProbeCheck } from './domain/plan.ts';
import { compare, type CheckResult } from './domain/probe-score.ts';

export async function runProbeCheck(c: ProbeCheck, signal: AbortSignal): Promise<CheckResult> {
  const started = performance.now();
  const done = (passed: boolean, detail: string): CheckResult => ({ id: c.id, weight: c.weight, passed, detail, durationMs: Math.round(performance.now() - started) });
  try {
    switch (c.type) {
      case 'http': {
        const res = await fetch(c.url, { signal, redirect: 'manual' });
        const body = c.bodyIncludes !== undefined ? await res.text() : '';
        if (res.status !== c.expectStatus) return done(false, `HTTP ${res.status}, expected ${c.expectStatus}`);
        if (c.bodyIncludes !== undefined && !body.includes(c.bodyIncludes)) return done(false, `HTTP ${res.status}, body lacks "${c.bodyIncludes}"`);
        return done(true, `HTTP ${res.status}`);
      }
      case 'tcp':
        await new Promise<void>((resolve, reject) => {
          const socket = connect({ host: c.host, port: c.port, signal });
          socket.once('connect', () => {
            socket.destroy();
            resolve();
          });
          socket.once('error', reject);
        });
        return done(true, `connected to ${c.host}:${c.port}`);
      case 'prometheus': {
        const url = new URL('/api/v1/query', c.url);
        url.searchParams.set('query', c.query);
        const res = await fetch(url, { signal });
        const json = (await res.json()) as { status?: string; data?: { result?: { value?: [number, string] }[] } };
        const sample = json.data?.result?.[0]?.value?.[1];
        if (json.status !== 'success' || sample === undefined) return done(false, `no sample (${res.status})`);
        const value = Number(sample);
        return done(compare(c.op, value, c.value), `${value} ${c.op} ${c.value}`);
      }
      case 'sql':
        return done(false, 'SQL probes are not available in this release (no database connection is held)');
    }
  } catch (error) {
    return done(false, error instanceof Error ? error.message : String(error));
  }
}
