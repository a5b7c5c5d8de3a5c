-- imghost schema: videos (MP4 and WebM) stored beside images.
--
-- A video is an image row like any other (albums, expiry, quota, visibility, delete,
-- dedup, the store and the repair check treat it alike); `kind` says which it is, and a
-- video also has its duration in seconds and its codecs (FFmpeg's names; audio NULL for
-- a silent video).  Its thumbnail is its poster.  Like the other facts of the file
-- (sql/007), they are set when the row is written and never change.

ALTER TABLE blobs DROP CONSTRAINT blobs_format_check;
ALTER TABLE blobs ADD CONSTRAINT blobs_format_check
  CHECK (format IN ('jpeg', 'png', 'gif', 'webp', 'mp4', 'webm'));

ALTER TABLE images
  ADD COLUMN kind        text             NOT NULL DEFAULT 'image' CHECK (kind IN ('image', 'video')),
  ADD COLUMN duration    double precision CHECK (duration > 0),
  ADD COLUMN video_codec text,
  ADD COLUMN audio_codec text,
  ADD CONSTRAINT images_video_facts_check
    CHECK ((kind = 'video') = (duration IS NOT NULL AND video_codec IS NOT NULL)
           AND (kind = 'video' OR audio_codec IS NULL));
