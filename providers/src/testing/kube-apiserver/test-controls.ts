/**
 * The kube-apiserver fixture's test controls: the settings a spec changes on a running fixture (latency, the cloud
 * being down, garbage bodies, a failing list page, how compacted watches fail, deployments ready at once) and the
 * one-shot faults it queues (429 + Retry-After, 500, 503).
 */
import type { ServerResponse } from 'node:http';
import { sendStatus } from './http-io.ts';

export interface FixtureFault {
  readonly status: 429 | 500 | 503;
  readonly retryAfterSeconds?: number;
  /** How many requests it hits (default 1). */
  times?: number;
}

export interface FixtureSettings {
  latencyMs?: number;
  /** Sockets are destroyed without an answer. */
  down?: boolean;
  /** 200 with a truncated JSON body. */
  garbage?: boolean;
  /** The next N list requests that carry a `continue` token fail with 503. */
  failContinuePages?: number;
  /** How a watch from a compacted resourceVersion fails: an ERROR event (as kube-apiserver does) or HTTP 410. */
  goneAs?: 'event' | 'http';
  /** Set deployments ready as soon as they are written. */
  autoReady?: boolean;
}

/** Answers with the first queued fault, if there is one (using up one of its `times`); true when it answered. */
export function answerFault(faults: FixtureFault[], res: ServerResponse): boolean {
  const fault = faults[0];
  if (fault === undefined) return false;
  if ((fault.times = (fault.times ?? 1) - 1) <= 0) faults.shift();
  if (fault.retryAfterSeconds !== undefined) res.setHeader('Retry-After', String(fault.retryAfterSeconds));
  const reason = fault.status === 429 ? 'TooManyRequests' : fault.status === 503 ? 'ServiceUnavailable' : 'InternalError';
  sendStatus(res, fault.status, reason, `fixture fault ${fault.status}`);
  return true;
}

/** The garbage setting's answer: 200 with a truncated JSON body. */
export function answerGarbage(res: ServerResponse): void {
  res.writeHead(200, { 'Content-Type': 'application/json' });
  res.end('{"kind":"List","items":[{"metad');
}
