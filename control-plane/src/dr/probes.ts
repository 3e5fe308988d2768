/**
 * Business probes of a DR plan: HTTP (status and body), TCP (connect), SQL (a read-only query through a
 * registered probe connection, its first value compared with the expected text) and a Prometheus instant
 * query compared with a value.
 */
import { connect } from 'node:net';
import { runSqlProbe } from './sql-probe.ts';
import type { ProbeCheck } from './domain/plan.ts';
import { compare, type CheckResult } from './domain/probe-score.ts';

/** Opens a probe connection's sealed DSN (null: no such connection). */
export type OpenProbeConnection = (id: string) => Promise<string | null>;

export async function runProbeCheck(c: ProbeCheck, signal: AbortSignal, openConnection?: OpenProbeConnection): Promise<CheckResult> {
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
      case 'sql': {
        const dsn = openConnection ? await openConnection(c.connection) : null;
        if (dsn === null) return done(false, `probe connection ${c.connection} is not registered`);
        const got = await runSqlProbe(dsn, c.query, signal);
        const shown = got === null ? 'no value' : `"${got.slice(0, 100)}"`;
        return done(got === c.expect, `${c.connection}: ${shown}${got === c.expect ? '' : `, expected "${c.expect.slice(0, 100)}"`}`);
      }
    }
  } catch (error) {
    return done(false, error instanceof Error ? error.message : String(error));
  }
}
