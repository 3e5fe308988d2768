import type { Queryable } from '../store/store.ts';

/** SQL of auth/subscription-tickets.ts. Times come from the database's clock, which every replica shares. */
export const subscriptionTicketsRepo = {
  async insert(db: Queryable, t: { ticketHash: string; sealedToken: string; ttlSeconds: number }): Promise<void> {
    // Expired tickets are swept as new ones are issued: the table holds seconds' worth of rows.
    await db.query('DELETE FROM subscription_tickets WHERE expires_at < now()');
    await db.query(
      `INSERT INTO subscription_tickets (ticket_hash, sealed_token, expires_at) VALUES ($1, $2, now() + make_interval(secs => $3))`,
      [t.ticketHash, t.sealedToken, t.ttlSeconds],
    );
  },

  /** Takes the ticket out in one statement, so two connections racing with one ticket cannot both get it. */
  async take(db: Queryable, ticketHash: string): Promise<string | null> {
    const rows = await db.query<{ sealedToken: string; live: boolean }>(
      'DELETE FROM subscription_tickets WHERE ticket_hash = $1 RETURNING sealed_token AS "sealedToken", expires_at > now() AS live',
      [ticketHash],
    );
    return rows[0]?.live ? rows[0].sealedToken : null;
  },
};
