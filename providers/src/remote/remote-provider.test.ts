import { createServer } from 'node:net';
import { providerErrorOf } from '../conformance.ts';
import { parseRetryAfter } from './http-errors.ts';
import { RemoteProvider } from './remote-provider.ts';

/** A provider whose fetch answers with a canned response, to test the error mapping. */
function answering(status: number, body: string, headers: Record<string, string> = {}): RemoteProvider {
  const fake = (async () => new Response(body, { status, headers })) as typeof fetch;
  return new RemoteProvider({ cloudId: 'canned', endpoint: 'http://127.0.0.1:1', fetch: fake });
}

async function closedPort(): Promise<number> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
  const port = (srv.address() as { port: number }).port;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

describe('RemoteProvider errors', () => {
  it('maps a refused connection to unavailable, retryable', async () => {
    const p = new RemoteProvider({ cloudId: 'gone', endpoint: `http://127.0.0.1:${await closedPort()}` });
    const e = await providerErrorOf(() => p.health());
    expect([e.code, e.retryable, e.provider, e.op]).toEqual(['unavailable', true, 'gone', 'health']);
    expect(e.message).toContain('ECONNREFUSED');
    expect(e.cause).toBeDefined();
  });

  const statuses: { status: number; code: string; retryable: boolean; why: string }[] = [
    { status: 400, code: 'invalid', retryable: false, why: 'the request is wrong' },
    { status: 401, code: 'auth', retryable: false, why: 'no or bad credentials' },
    { status: 403, code: 'auth', retryable: false, why: 'not allowed' },
    { status: 404, code: 'not-found', retryable: false, why: 'nothing there' },
    { status: 409, code: 'conflict', retryable: false, why: 'state conflict' },
    { status: 422, code: 'invalid', retryable: false, why: 'other 4xx are request errors' },
    { status: 500, code: 'internal', retryable: false, why: 'server bug' },
    { status: 502, code: 'unavailable', retryable: true, why: 'a gateway could not reach the cloud' },
    { status: 503, code: 'unavailable', retryable: true, why: 'temporarily down' },
    { status: 504, code: 'timeout', retryable: true, why: 'a gateway timed out' },
  ];
  for (const s of statuses) {
    it(`maps an untyped HTTP ${s.status} to ${s.code} (${s.why})`, async () => {
      const e = await providerErrorOf(() => answering(s.status, '<html>error</html>').capacity());
      expect<unknown[]>([e.code, e.retryable]).toEqual([s.code, s.retryable]);
    });
  }

  it('maps 429 to throttled with the Retry-After it was given', async () => {
    const e = await providerErrorOf(() => answering(429, 'slow down', { 'retry-after': '2' }).health());
    expect([e.code, e.retryable, e.retryAfterMs]).toEqual(['throttled', true, 2000]);
  });

  it('believes a typed error body over the status', async () => {
    const body = JSON.stringify({ error: { code: 'conflict', message: 'quota', retryable: false, reason: 'quota-exceeded' } });
    const e = await providerErrorOf(() => answering(409, body).capacity());
    expect([e.code, e.reason]).toEqual(['conflict', 'quota-exceeded']);
  });

  it('calls a 200 with a non-JSON body garbage', async () => {
    const e = await providerErrorOf(() => answering(200, '<html>Welcome to nginx</html>').capacity());
    expect([e.code, e.retryable]).toEqual(['garbage', false]);
    expect(e.cause).toBeInstanceOf(SyntaxError);
  });

  it('calls JSON that is not the contract garbage', async () => {
    const e = await providerErrorOf(() => answering(200, JSON.stringify({ cloudId: 'x', pools: [{ zone: 1 }] })).capacity());
    expect(e.code).toBe('garbage');
    expect(e.message).toContain('pools.0');
  });

  it('reads Retry-After as seconds or as a date', () => {
    expect(parseRetryAfter('5')).toBe(5000);
    expect(parseRetryAfter('Wed, 01 Jan 2025 00:00:10 GMT', Date.UTC(2025, 0, 1))).toBe(10_000);
    expect(parseRetryAfter('soon')).toBeUndefined();
    expect(parseRetryAfter(null)).toBeUndefined();
  });

  it('calls an aborted request a timeout', async () => {
    const hang = ((_url: string, init: RequestInit) =>
      new Promise((_r, reject) => init.signal?.addEventListener('abort', () => reject(new DOMException('aborted', 'AbortError'))))) as typeof fetch;
    const p = new RemoteProvider({ cloudId: 'slow', endpoint: 'http://127.0.0.1:1', fetch: hang });
    const controller = new AbortController();
    const pending = providerErrorOf(() => p.health({ signal: controller.signal }));
    controller.abort();
    expect((await pending).code).toBe('timeout');
  });
});
