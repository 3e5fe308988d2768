import { createServer, request, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { HttpDrain } from './http-drain.ts';

/** A real node:http server with a slow route, an event stream and a quick one, drained as on SIGTERM. */
describe('HTTP drain (SIGTERM: stop accepting, finish requests in flight)', () => {
  let server: Server;
  let drain: HttpDrain;
  let port: number;
  let finishSlow: () => void;

  beforeEach(async () => {
    let release!: () => void;
    const slowReleased = new Promise<void>((r) => (release = r));
    finishSlow = release;
    server = createServer((req, res) => {
      if (req.url === '/slow') {
        void slowReleased.then(() => res.end('slow done'));
      } else if (req.url === '/events') {
        res.writeHead(200, { 'content-type': 'text/event-stream' });
        res.write('data: 1\n\n');
      } else if (req.url === '/readyz') {
        res.writeHead(drain.draining ? 503 : 200).end();
      } else {
        res.end('quick');
      }
    });
    drain = new HttpDrain(server);
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as AddressInfo).port;
  });
  afterEach(() => {
    finishSlow();
    server.closeAllConnections();
    server.close();
  });

  const get = (path: string, headers: Record<string, string> = {}) => new Promise<IncomingMessage & { text: Promise<string> }>((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, headers }, (res) => {
      const chunks: Buffer[] = [];
      const text = new Promise<string>((done, fail) => {
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => done(Buffer.concat(chunks).toString()));
        res.on('error', fail);
        res.on('aborted', () => fail(new Error('aborted')));
      });
      text.catch(() => undefined);
      resolve(Object.assign(res, { text }));
    });
    req.on('error', reject);
    req.end();
  });
  const started = async (n: number) => {
    while (drain.inFlight < n) await new Promise((r) => setTimeout(r, 5));
  };

  it('answers /readyz with 503 first, then refuses new connections while the request in flight finishes', async () => {
    expect((await get('/readyz')).statusCode).toBe(200);
    const slow = get('/slow');
    await started(1);
    drain.startDraining();
    expect((await get('/readyz')).statusCode).toBe(503);
    const closing = drain.close(Date.now() + 60_000);
    await expectAsync(get('/quick')).toBeRejectedWith(jasmine.objectContaining({ code: 'ECONNREFUSED' }));
    finishSlow();
    const res = await slow;
    expect(res.statusCode).toBe(200);
    expect(res.headers.connection).toBe('close');
    expect(await res.text).toBe('slow done');
    expect(await closing).toEqual({ cut: 0 });
  });

  it('cuts event streams at once (their clients reconnect elsewhere) instead of waiting for them', async () => {
    const events = await get('/events', { accept: 'text/event-stream' });
    await started(1);
    const ended = events.text.then(() => 'ended', () => 'cut');
    expect(await drain.close(Date.now() + 60_000)).toEqual({ cut: 0 });
    expect(await ended).toBe('cut');
  });

  it('cuts what is still unanswered at the deadline and says how many', async () => {
    const slow = get('/slow');
    await started(1);
    expect(await drain.close(Date.now() + 50)).toEqual({ cut: 1 });
    const res = await slow.then((r) => r.text.then(() => 'answered', () => 'cut'), () => 'cut');
    expect(res).toBe('cut');
  });
});
