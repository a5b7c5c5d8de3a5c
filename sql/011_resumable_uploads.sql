-- imghost schema: resumable uploads (tus 1.0, fcgi/core/resumable_upload.hpp).
--
-- One row per upload being received.  Its URL is /api/v1/uploads/<key>, where <key> is
-- 160 random bits: the key is its anonymous creator's only proof, so only its SHA-256 is
-- stored (as for manage tokens and API tokens).  The bytes received so far are in the
-- file store_dir/.tus/<hex of key_sha256>; `received` is the offset acknowledged to the
-- client, written only after those bytes were fsynced: the file may hold more (a worker
-- killed mid-PATCH), which the next PATCH cuts off.
--
-- When the last byte has arrived the upload goes through the usual upload flow, and the
-- row keeps its outcome (image_id, or the refusal's code and message) for GET until it
-- expires; the cleanup removes rows past expires_at (their file first).
CREATE TABLE resumable_uploads (
  key_sha256    bytea       PRIMARY KEY CHECK (length(key_sha256) = 32),
  owner_id      bigint      REFERENCES users (id) ON DELETE CASCADE,  -- NULL: anonymous
  length        bigint      NOT NULL CHECK (length > 0),
  received      bigint      NOT NULL DEFAULT 0 CHECK (received >= 0 AND received <= length),
  metadata      jsonb       NOT NULL DEFAULT '{}',  -- filename, description, visibility, album, expires_in
  expires_at    timestamptz NOT NULL,
  created       timestamptz NOT NULL DEFAULT now(),
  image_id      text,        -- the image it became
  refusal_code  text,        -- or the error it was refused with ("unsupported_format", ...)
  refusal_message text,
  CHECK (image_id IS NULL OR refusal_code IS NULL)
);
CREATE INDEX resumable_uploads_expires_at ON resumable_uploads (expires_at);
