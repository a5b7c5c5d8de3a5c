-- imghost schema: every upload has a file name of its own.
--
-- Until now identical bytes shared one name: the blob's, copied into each image row
-- (sql/007).  A delete then left the link answering as long as another upload of the same
-- bytes existed.  Now each image row names its own file; the bytes are still stored once
-- (on a local disk the names are hard links to one file).  A blob stays the record of
-- which bytes are stored: its name is the file of one of its images, the one a new upload
-- of the same bytes is linked from, and a delete of that image moves it to another.
--
-- Rows written before share a name: `imghost-admin migrate` gives every image after the
-- first of a name a name and a link of its own (admin/own_names.hpp), one image at a
-- time, file first and row second, so it can be killed and run again.  Until then a
-- delete removes a shared name's file only with the last image that has it.

-- "Which image owns this file?": the thumbnail writer, a delete, the repair check.
CREATE INDEX images_name ON images (name);

-- The images still to be given a name of their own, listed once here, so that migrate
-- (run at every start of the service) finds them without a look at every image.  An
-- image leaves the list with its rename, or with its row.
CREATE TABLE images_without_own_name (
  image_seq bigint PRIMARY KEY REFERENCES images (seq) ON DELETE CASCADE
);
INSERT INTO images_without_own_name (image_seq)
SELECT i.seq FROM images i
 WHERE EXISTS (SELECT 1 FROM images j WHERE j.name = i.name AND j.seq < i.seq);
