-- Foundation: administrative divisions, departments, users, tokens, audit trail.

CREATE TABLE divisions (
  code        text PRIMARY KEY,
  name        text NOT NULL,
  level       text NOT NULL CHECK (level IN ('province', 'city', 'county', 'township', 'village')),
  parent_code text REFERENCES divisions(code)
);
CREATE INDEX divisions_parent_idx ON divisions(parent_code);

CREATE TABLE departments (
  id            uuid PRIMARY KEY,
  name          text NOT NULL,
  credit_code   char(18) NOT NULL UNIQUE,
  parent_id     uuid REFERENCES departments(id) ON DELETE RESTRICT,
  division_code text NOT NULL REFERENCES divisions(code),
  created_at    timestamptz NOT NULL DEFAULT now(),
  updated_at    timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX departments_name_uq ON departments(name);
CREATE INDEX departments_parent_idx ON departments(parent_id);

CREATE TABLE users (
  id                   uuid PRIMARY KEY,
  username             text NOT NULL UNIQUE,
  display_name         text NOT NULL,
  department_id        uuid REFERENCES departments(id) ON DELETE RESTRICT,
  roles                text[] NOT NULL,
  password_hash        text NOT NULL,
  failed_logins        integer NOT NULL DEFAULT 0,
  locked_until         timestamptz,
  disabled             boolean NOT NULL DEFAULT false,
  must_change_password boolean NOT NULL DEFAULT false,
  created_at           timestamptz NOT NULL DEFAULT now(),
  updated_at           timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX users_department_idx ON users(department_id);

-- Session tokens and API tokens. Only a hash of the token is stored: a leaked table opens no doors.
CREATE TABLE tokens (
  id           uuid PRIMARY KEY,
  user_id      uuid NOT NULL REFERENCES users(id) ON DELETE CASCADE,
  kind         text NOT NULL CHECK (kind IN ('session', 'api')),
  name         text,
  token_hash   text NOT NULL UNIQUE,
  created_at   timestamptz NOT NULL DEFAULT now(),
  expires_at   timestamptz NOT NULL,
  revoked_at   timestamptz,
  last_used_at timestamptz
);
CREATE INDEX tokens_user_idx ON tokens(user_id);

-- Append-only audit trail, chained with SM3: hash = SM3(prev_hash || canonical record).
CREATE TABLE audit_log (
  seq        bigint PRIMARY KEY,
  at         timestamptz NOT NULL,
  actor_id   uuid,
  actor      text,
  role       text,
  procedure  text NOT NULL,
  target     text,
  outcome    text NOT NULL CHECK (outcome IN ('ok', 'denied', 'error')),
  before     jsonb,
  after      jsonb,
  request_id text NOT NULL,
  error      text,
  prev_hash  text NOT NULL,
  hash       text NOT NULL
);
CREATE INDEX audit_log_at_idx ON audit_log(at);
CREATE INDEX audit_log_actor_idx ON audit_log(actor);
CREATE INDEX audit_log_procedure_idx ON audit_log(procedure);

-- The head of the chain: one row, locked by each append so the chain has a single order.
CREATE TABLE audit_head (
  id   integer PRIMARY KEY CHECK (id = 1),
  seq  bigint NOT NULL,
  hash text NOT NULL
);
INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, repeat('0', 64));

-- Sealed secrets (provider credentials and the like): ciphertext only.
CREATE TABLE secrets (
  id         uuid PRIMARY KEY,
  purpose    text NOT NULL,
  sealed     text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  updated_at timestamptz NOT NULL DEFAULT now()
);
