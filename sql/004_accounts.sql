-- imghost schema: accounts, sessions, API tokens, invites, and the owner of an image.
--
-- Secrets are never stored: a password only as its Argon2id string (salt and
-- parameters inside it), a session id, an API token and an invite code only as the
-- SHA-256 of their random bytes (they carry 160 bits, so a fast hash is enough: nobody
-- can guess one to test against the hash).
--
-- used_bytes is what the account stores from its own point of view: the sum of the
-- sizes of its images, each counted in full even when its bytes are shared with another
-- upload (deduplication saves the disk, not the quota).  The upload's transaction locks
-- the row (SELECT ... FOR UPDATE), compares used_bytes + the new bytes with the quota and
-- adds them; a delete subtracts them in its own transaction.  quota_bytes NULL means the
-- configured default_quota.

CREATE TABLE users (
  id            bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  username      text        NOT NULL CHECK (username ~ '^[A-Za-z0-9][A-Za-z0-9_.-]{2,31}$'),
  password_hash text        NOT NULL CHECK (password_hash LIKE '$argon2id$%'),
  is_admin      boolean     NOT NULL DEFAULT false,
  disabled      boolean     NOT NULL DEFAULT false,
  quota_bytes   bigint      CHECK (quota_bytes >= 0),
  used_bytes    bigint      NOT NULL DEFAULT 0 CHECK (used_bytes >= 0),
  created_at    timestamptz NOT NULL DEFAULT now()
);
-- "alice" and "Alice" are one name: of 50 concurrent signups for it, exactly one wins.
CREATE UNIQUE INDEX users_username_lower ON users (lower(username));

CREATE TABLE sessions (
  id_hash    bytea       PRIMARY KEY CHECK (length(id_hash) = 32),
  user_id    bigint      NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL
);
CREATE INDEX sessions_user ON sessions (user_id);
CREATE INDEX sessions_expires ON sessions (expires_at);

CREATE TABLE api_tokens (
  id           text        PRIMARY KEY,  -- public, names the token in lists and DELETE
  user_id      bigint      NOT NULL REFERENCES users (id) ON DELETE CASCADE,
  name         text        NOT NULL CHECK (char_length(name) BETWEEN 1 AND 100),
  secret_hash  bytea       NOT NULL UNIQUE CHECK (length(secret_hash) = 32),
  created_at   timestamptz NOT NULL DEFAULT now(),
  last_used_at timestamptz
);
CREATE INDEX api_tokens_user ON api_tokens (user_id, created_at);

CREATE TABLE invites (
  code_hash  bytea       PRIMARY KEY CHECK (length(code_hash) = 32),
  created_at timestamptz NOT NULL DEFAULT now(),
  expires_at timestamptz NOT NULL,
  used_by    bigint      REFERENCES users (id) ON DELETE SET NULL,
  used_at    timestamptz
);

-- NULL: an anonymous upload (its delete token is the only proof of ownership).
ALTER TABLE images ADD COLUMN owner_id bigint REFERENCES users (id);
-- "My images", newest first, keyset on seq like the catalog.
CREATE INDEX images_owner_seq ON images (owner_id, seq DESC) WHERE owner_id IS NOT NULL;
