-- Login throttling (issue 19.1): attempts are counted before the password is checked, per account and per
-- source address, in one row update each, so parallel or batched guesses all count. Locks grow with each
-- lockout (back-off) until a successful sign-in or an administrator's unlock resets them.
ALTER TABLE users ADD COLUMN lockouts integer NOT NULL DEFAULT 0;

CREATE TABLE login_sources (
  address      text PRIMARY KEY,
  failures     integer NOT NULL DEFAULT 0,
  window_start timestamptz NOT NULL DEFAULT now(),
  locked_until timestamptz,
  lockouts     integer NOT NULL DEFAULT 0
);
