-- imghost schema, version 2: visibility.
--
-- An image is `public` (listed in the catalog and GET /api/v1/images) or `unlisted`
-- (reachable only through its links).  Every image that exists before this migration
-- was in the public catalog, so it stays public; the column then has no default: the
-- worker always says what a new upload is (its configured default_visibility is
-- `unlisted`), so a forgotten value is an error, never a silent listing.

ALTER TABLE images ADD COLUMN visibility text NOT NULL DEFAULT 'public'
  CHECK (visibility IN ('public', 'unlisted'));
ALTER TABLE images ALTER COLUMN visibility DROP DEFAULT;

-- The catalog walks only public images newest first (keyset on seq): a partial index
-- keeps every page as cheap as the first however many unlisted images there are.
CREATE INDEX images_public_seq ON images (seq DESC) WHERE visibility = 'public';
