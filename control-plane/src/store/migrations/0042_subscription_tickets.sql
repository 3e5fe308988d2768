-- Subscription tickets (issue 19.8): a browser's EventSource cannot send an Authorization header, and a bearer
-- token must not travel in a URL (proxy and access logs keep URLs). The console trades its token for a ticket
-- that opens one SSE connection within seconds. Rows live in the database so a ticket issued by one replica
-- opens a stream on any other; only the ticket's hash is kept, and the token sealed.
CREATE TABLE subscription_tickets (
  ticket_hash  text PRIMARY KEY,
  sealed_token text NOT NULL,
  expires_at   timestamptz NOT NULL
);
CREATE INDEX subscription_tickets_expiry_idx ON subscription_tickets(expires_at);
