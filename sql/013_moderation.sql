-- imghost schema: moderation.  Reports from anyone, take-downs, the block list and the
-- audit log of every admin action.  The admin role itself is users.is_admin (sql/004),
-- granted with `imghost-admin user add NAME --admin`.
--
-- A take-down removes the image (or album) the way a delete does, rows then files, so
-- the blob, quota and album bookkeeping stay those of one code path, and leaves this
-- tombstone in its place: its id and file name keep answering 451 instead of 404, and
-- the operator keeps who owned it, what it was and why it went.

CREATE TABLE reports (
  id          bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  target_kind text        NOT NULL CHECK (target_kind IN ('image', 'album')),
  target_id   text        NOT NULL,
  reason      text        NOT NULL CHECK (reason IN ('spam', 'illegal', 'copyright', 'privacy', 'other')),
  details     text        CHECK (char_length(details) <= 1000),
  reporter_id bigint      REFERENCES users (id) ON DELETE SET NULL,
  -- NULL while open; set when an admin acts on (or dismisses) its target.
  resolved_at timestamptz,
  resolved_by bigint      REFERENCES users (id) ON DELETE SET NULL,
  created_at  timestamptz NOT NULL DEFAULT now()
);
-- The queue: open reports, newest first (keyset on id).
CREATE INDEX reports_open ON reports (id DESC) WHERE resolved_at IS NULL;
CREATE INDEX reports_target ON reports (target_id);

CREATE TABLE takedowns (
  id                bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  target_kind       text        NOT NULL CHECK (target_kind IN ('image', 'album')),
  target_id         text        NOT NULL,
  -- An image's stored file name (its /images/ and thumbnail links); NULL for an album.
  name              text,
  sha256            bytea       CHECK (length(sha256) = 32),
  original_filename text,
  owner_id          bigint      REFERENCES users (id) ON DELETE SET NULL,
  -- The album taken down with it, when the image went with its album.
  album_id          text,
  reason            text        NOT NULL CHECK (char_length(reason) BETWEEN 1 AND 1000),
  admin_id          bigint      REFERENCES users (id) ON DELETE SET NULL,
  created_at        timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX takedowns_target ON takedowns (target_id);
CREATE INDEX takedowns_name ON takedowns (name) WHERE name IS NOT NULL;

-- Banned content: the bytes' SHA-256 and, when the pixels were known, a 64-bit
-- perceptual hash of them (fcgi/image/perceptual_hash.hpp); an upload whose hash is
-- within a few bits of one is refused.  The list stays small (hundreds): a scan of it
-- costs less than an index would save.
CREATE TABLE blocks (
  id         bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  sha256     bytea       NOT NULL CHECK (length(sha256) = 32),
  phash      bigint,
  reason     text        NOT NULL CHECK (char_length(reason) BETWEEN 1 AND 1000),
  admin_id   bigint      REFERENCES users (id) ON DELETE SET NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
CREATE UNIQUE INDEX blocks_sha256 ON blocks (sha256);

-- Every admin action, from the site or the shell: who (NULL: the shell), what, on what,
-- why.  Written in the transaction of the action it records.
CREATE TABLE audit_log (
  id         bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  admin_id   bigint      REFERENCES users (id) ON DELETE SET NULL,
  actor      text        NOT NULL,
  action     text        NOT NULL,
  target     text        NOT NULL,
  reason     text        NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now()
);
