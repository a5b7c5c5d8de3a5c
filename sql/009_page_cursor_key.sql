-- imghost schema: the server's secret for page cursors (fcgi/base/page_cursor.hpp).
--
-- A list's next_cursor is its keyset position sealed with this key, so clients can
-- neither read nor forge it.  It lives in the database that every machine of a site
-- shares, so a cursor made by one machine opens on any other, and it needs no
-- configuration.  Made here from PostgreSQL's strong random source (gen_random_uuid:
-- 122 random bits each, two of them hashed to 32 bytes).  Replacing it only makes the
-- cursors handed out before invalid (400): lists start again from the first page.
CREATE TABLE server_keys (
  name text  PRIMARY KEY,
  key  bytea NOT NULL CHECK (length(key) = 32)
);
INSERT INTO server_keys (name, key)
VALUES ('page_cursor', sha256(uuid_send(gen_random_uuid()) || uuid_send(gen_random_uuid())));
