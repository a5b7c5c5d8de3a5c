-- imghost schema, version 3: the catalog's index that the planner cannot pass over.
--
-- The catalog lists public images newest first.  With an index on seq over the public
-- rows only (002), PostgreSQL still preferred walking the primary key backwards and
-- filtering: its statistics see the share of public rows, not where they are.  After an
-- upgrade every older image is public and the new ones are unlisted by default, all of
-- them at the newest end, so every first page walked past every unlisted image (measured:
-- 10,000 unlisted rows on top of 190,000 public ones, 1.2 ms instead of 0.1 ms per page).
-- Ordered by -seq, the list has only one index that gives its order without a sort.
CREATE INDEX images_public_newest ON images ((-seq)) WHERE visibility = 'public';
DROP INDEX images_public_seq;
