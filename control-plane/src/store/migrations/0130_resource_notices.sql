-- Notices to people about their resources (issue 16.4): the reminder before a resource's end date (到期) reaches its
-- owners (the requester who asked for it and the system's owner) as an in-product list; no mail server is assumed.
-- One notice per person, resource, kind and end date: a second sweep or a replica racing it adds nothing, and a
-- renewed resource noticed again for its new date gets a new notice.
CREATE TABLE resource_notices (
  id          uuid PRIMARY KEY,
  user_id     uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  resource_id uuid NOT NULL REFERENCES resources(id) ON DELETE CASCADE,
  kind        text NOT NULL CHECK (kind IN ('expiry')),
  due_at      timestamptz NOT NULL,
  created_at  timestamptz NOT NULL DEFAULT now(),
  read_at     timestamptz,
  UNIQUE (user_id, resource_id, kind, due_at)
);
CREATE INDEX resource_notices_user_idx ON resource_notices(user_id, created_at DESC, id DESC);
