/** The fixture's HTTP plumbing: kube-apiserver's `Status` bodies, JSON answers, and reading a request body. */
import type { IncomingMessage, ServerResponse } from 'node:http';

export function status(code: number, reason: string, message: string, kind?: string, name?: string): unknown {
  return { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', message, reason, code, ...(kind !== undefined ? { details: { kind, ...(name !== undefined ? { name } : {}) } } : {}) };
}

export function sendStatus(res: ServerResponse, code: number, reason: string, message: string, kind?: string, name?: string): void {
  if (res.headersSent) return void res.end();
  sendJson(res, code, status(code, reason, message, kind, name));
}

export function sendJson(res: ServerResponse, code: number, body: unknown): void {
  res.writeHead(code, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify(body));
}

export function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
