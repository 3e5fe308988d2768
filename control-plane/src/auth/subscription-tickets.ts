import { randomBytes } from 'node:crypto';
import type { SealingService } from '../secrets/sealing.ts';
import type { Queryable } from '../store/store.ts';
import { subscriptionTicketsRepo } from './subscription-tickets-repo.ts';
import { hashToken } from './tokens.ts';

/**
 * Bearer tokens are read from the Authorization header only (issue 19.8). A subscription runs over SSE, and a
 * browser's EventSource sends no headers, so the console first trades its token (sent in the header) for a
 * ticket that goes in the subscription's URL: it opens one connection (single use), within TICKET_TTL_SECONDS,
 * and is worth nothing afterwards in the logs that keep URLs. The connection then runs as the token: a
 * revoked or expired token still gets 401.
 */
export const TICKET_TTL_SECONDS = 30;
const TICKET_SHAPE = /^gyt_[A-Za-z0-9_-]{43}$/;
const SEAL_CONTEXT = 'subscription-ticket';

export async function issueTicket(db: Queryable, sealing: SealingService, token: string): Promise<{ ticket: string; expiresInSeconds: number }> {
  const ticket = `gyt_${randomBytes(32).toString('base64url')}`;
  await subscriptionTicketsRepo.insert(db, { ticketHash: hashToken(ticket), sealedToken: sealing.seal(token, SEAL_CONTEXT), ttlSeconds: TICKET_TTL_SECONDS });
  return { ticket, expiresInSeconds: TICKET_TTL_SECONDS };
}

/** The token a ticket stands for, once: null when the ticket is malformed, unknown, used or expired. */
export async function redeemTicket(db: Queryable, sealing: SealingService, ticket: string | undefined): Promise<string | null> {
  if (!ticket || !TICKET_SHAPE.test(ticket)) return null;
  const sealed = await subscriptionTicketsRepo.take(db, hashToken(ticket));
  return sealed ? sealing.open(sealed, SEAL_CONTEXT) : null;
}
