-- imghost schema, version 1.
--
-- A blob is one file in the store, named randomly and identified by the SHA-256 of its
-- bytes: identical uploads share it.  An image is one upload: its own id, file name as
-- the client sent it, description and delete token (only its SHA-256 is kept).
-- The file goes when the last image referring to its blob goes (see images_repo.hpp).

CREATE TABLE blobs (
  sha256     bytea       PRIMARY KEY CHECK (length(sha256) = 32),
  name       text        NOT NULL UNIQUE,
  size       bigint      NOT NULL CHECK (size > 0),
  format     text        NOT NULL CHECK (format IN ('jpeg', 'png', 'gif', 'webp')),
  width      integer     NOT NULL CHECK (width > 0),
  height     integer     NOT NULL CHECK (height > 0),
  created_at timestamptz NOT NULL DEFAULT now()
);

CREATE TABLE images (
  -- Insertion order: the keyset of the catalog (newest first is seq DESC).
  seq               bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  id                text        NOT NULL UNIQUE,
  sha256            bytea       NOT NULL REFERENCES blobs (sha256),
  original_filename text        NOT NULL,
  description       text        CHECK (char_length(description) <= 1000),
  delete_token_hash bytea       NOT NULL CHECK (length(delete_token_hash) = 32),
  created_at        timestamptz NOT NULL DEFAULT now()
);

-- "Is this blob still referenced?" on delete.
CREATE INDEX images_sha256 ON images (sha256);
