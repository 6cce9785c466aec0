-- Up Migration
-- People: usernames unique whatever their case, accounts that can be disabled, a first
-- password that must be changed, and sign-in sessions that can be revoked one by one.
-- Names that differ only in case could coexist until now: the later ones get their id appended.
UPDATE app_user u SET username = left(u.username, 50) || '-' || u.id
WHERE EXISTS (SELECT 1 FROM app_user o WHERE lower(o.username) = lower(u.username) AND o.id < u.id);
CREATE UNIQUE INDEX app_user_username_lower_idx ON app_user (lower(username));
ALTER TABLE app_user
  ADD COLUMN disabled              boolean NOT NULL DEFAULT false,
  ADD COLUMN must_change_password  boolean NOT NULL DEFAULT false,
  ADD COLUMN password_changed_at   timestamptz NOT NULL DEFAULT now();

-- One row per sign-in. The access token names its session, so revoking the session (logout,
-- password change, removal, new role) ends the access token at once; the refresh token is
-- kept only as a SHA-256 hash and replaced at every refresh (the one before is remembered
-- so that a stolen, replayed refresh token revokes the session).
CREATE TABLE auth_session (
  id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  user_id        integer NOT NULL REFERENCES app_user (id) ON DELETE CASCADE,
  refresh_hash   text NOT NULL UNIQUE,
  previous_hash  text,
  created_at     timestamptz NOT NULL DEFAULT now(),
  last_used_at   timestamptz NOT NULL DEFAULT now(),
  expires_at     timestamptz NOT NULL,
  revoked_at     timestamptz,
  ip             text,
  user_agent     text
);
CREATE INDEX auth_session_user_idx ON auth_session (user_id) WHERE revoked_at IS NULL;
CREATE INDEX auth_session_previous_idx ON auth_session (previous_hash) WHERE previous_hash IS NOT NULL;

-- The audit log: who did what, when, from where. Append-only: the database itself refuses
-- to change or delete a row.
CREATE TABLE audit_log (
  id        bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  at        timestamptz NOT NULL DEFAULT now(),
  actor     text,
  actor_id  integer,
  ip        text,
  action    text NOT NULL,
  target    text,
  outcome   text NOT NULL CHECK (outcome IN ('ok', 'denied', 'failed')),
  detail    jsonb NOT NULL DEFAULT '{}'
);
CREATE INDEX audit_log_at_idx ON audit_log (at DESC, id DESC);
CREATE INDEX audit_log_actor_idx ON audit_log (lower(actor), at DESC);
CREATE INDEX audit_log_action_idx ON audit_log (action, at DESC);

CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit_log is append-only';
END;
$$;
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE OR TRUNCATE ON audit_log
  FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only();

-- Down Migration
DROP TABLE audit_log;
DROP FUNCTION audit_log_append_only();
DROP TABLE auth_session;
ALTER TABLE app_user DROP COLUMN disabled, DROP COLUMN must_change_password, DROP COLUMN password_changed_at;
DROP INDEX app_user_username_lower_idx;
