-- imghost schema: albums, their items in order, expiry, and the queue of files to remove.
-- (docs/albums-expiry-design.md says why each piece is so.)
--
-- An album is open, closed (no more uploads) or deleting (its removal has begun; the
-- cleanup finishes it).  "Expired" is never stored: it is expires_at <= now(), by the
-- database's clock.  An anonymous album is proved by its manage token (only its SHA-256
-- is kept); an account's album by its owner.

CREATE TABLE albums (
  seq               bigint      GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
  id                text        NOT NULL UNIQUE,
  title             text        CHECK (char_length(title) <= 200),
  description       text        CHECK (char_length(description) <= 1000),
  visibility        text        NOT NULL CHECK (visibility IN ('public', 'unlisted')),
  owner_id          bigint      REFERENCES users (id),
  manage_token_hash bytea       CHECK (length(manage_token_hash) = 32),
  status            text        NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed', 'deleting')),
  max_items         integer     CHECK (max_items BETWEEN 1 AND 1000),
  cover_seq         bigint      REFERENCES images (seq) ON DELETE SET NULL,
  expires_at        timestamptz,
  created_at        timestamptz NOT NULL DEFAULT now(),
  -- Someone can always manage it: its owner, or whoever holds its token.
  CHECK (owner_id IS NOT NULL OR manage_token_hash IS NOT NULL)
);
-- The public albums, newest first (keyset on seq, like the catalog).
CREATE INDEX albums_public_newest ON albums ((-seq)) WHERE visibility = 'public';
-- An account's albums, newest first.
CREATE INDEX albums_owner_seq ON albums (owner_id, seq DESC) WHERE owner_id IS NOT NULL;
-- The cleanup's walk: albums past their time, and removals begun.
CREATE INDEX albums_expires_at ON albums (expires_at) WHERE expires_at IS NOT NULL;
CREATE INDEX albums_deleting ON albums (seq) WHERE status = 'deleting';

-- An album's images in order.  An image enters one album, at its upload; the primary key
-- allows more, and the cleanup keeps an image that is still in another album.  The
-- positions are unique per album, checked at the end of each statement (DEFERRABLE), so
-- a reorder rewrites them all in one UPDATE even when two swap places.
CREATE TABLE album_items (
  album_seq bigint NOT NULL REFERENCES albums (seq) ON DELETE CASCADE,
  image_seq bigint NOT NULL REFERENCES images (seq) ON DELETE CASCADE,
  position  bigint NOT NULL,
  PRIMARY KEY (album_seq, image_seq),
  CONSTRAINT album_items_position UNIQUE (album_seq, position) DEFERRABLE INITIALLY IMMEDIATE
);
-- "Which album is this image in?" (the image page, the cascade on delete).
CREATE INDEX album_items_image ON album_items (image_seq);

-- NULL: never.  An image uploaded into an album that expires gets the earlier of its own
-- expiry and the album's.
ALTER TABLE images ADD COLUMN expires_at timestamptz;
CREATE INDEX images_expires_at ON images (expires_at) WHERE expires_at IS NOT NULL;

-- Files whose blob row is gone and that are still to be removed from the store: queued in
-- the transaction that deletes the blob row, removed after COMMIT, then dequeued.  A
-- cleanup killed in between finds them here on its next run (nothing orphaned).
CREATE TABLE removals (
  name      text        PRIMARY KEY,
  queued_at timestamptz NOT NULL DEFAULT now()
);
