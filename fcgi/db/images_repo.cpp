#include "db/images_repo.hpp"

#include <fmt/format.h>

#include <cstring>

#include "db/locks.hpp"
#include "db/sql_fragments.hpp"

namespace imghost::db {
namespace {

// One column list for every read, so the record is filled in one place.  Laid out by
// hand: clang-format would not align it.
// clang-format off
#define IMAGE_COLUMNS                                                               \
  "i.seq, i.id, i.name, i.original_filename, i.format, i.size, i.width, i.height, " \
  "encode(i.sha256, 'hex'), i.description, "                                        \
  SQL_ISO_UTC("i.created_at") ", "                                                  \
  "i.visibility, i.owner_id, u.username, "                                          \
  SQL_ISO_UTC("i.expires_at") ", "                                                  \
  "COALESCE(i.expires_at <= now(), false), "                                        \
  "i.kind, i.duration, i.video_codec, i.audio_codec"
// clang-format on
// Every read joins the owner (anonymous uploads have none); the file's facts are the
// image row's own copy of its blob's (sql/007).
#define IMAGE_FROM " FROM images i LEFT JOIN users u ON u.id = i.owner_id"

ImageRecord record_at(const Result& r, int row) {
  ImageRecord rec;
  rec.seq = r.get_int(row, 0);
  rec.id = r.get(row, 1);
  rec.name = r.get(row, 2);
  rec.original_filename = r.get(row, 3);
  rec.format = r.get(row, 4);
  rec.size = r.get_int(row, 5);
  rec.width = static_cast<int>(r.get_int(row, 6));
  rec.height = static_cast<int>(r.get_int(row, 7));
  rec.sha256 = r.get(row, 8);
  rec.description = r.get_opt(row, 9);
  rec.created_at = r.get(row, 10);
  // The column's CHECK allows exactly the two names.
  rec.visibility = parse_visibility(r.get(row, 11)).value_or(Visibility::unlisted);
  if (!r.is_null(row, 12)) rec.owner_id = r.get_int(row, 12);
  rec.owner = r.get_opt(row, 13);
  rec.expires_at = r.get_opt(row, 14);
  rec.expired = r.get(row, 15) == "t";
  rec.kind = r.get(row, 16);
  if (!r.is_null(row, 17)) rec.duration = std::stod(std::string(r.get(row, 17)));
  rec.video_codec = r.get_opt(row, 18);
  rec.audio_codec = r.get_opt(row, 19);
  return rec;
}

}  // namespace

Statement ImagesRepo::upload_statement(const NewBlob& b, const NewImage& img) {
  // ON CONFLICT DO UPDATE (a no-op update), not DO NOTHING: DO NOTHING returns no row for
  // a blob committed after this statement's snapshot was taken, which is exactly the
  // case of two uploads of the same bytes, the second waiting for the first's lock.
  return {"upload",
          "WITH locked AS (SELECT pg_advisory_xact_lock($1::bigint)),"
          " blob AS (INSERT INTO blobs (sha256, name, size, format, width, height)"
          "   SELECT $2::bytea, $3::text, $4::bigint, $5::text, $6::integer, $7::integer FROM locked"
          "   ON CONFLICT (sha256) DO UPDATE SET name = blobs.name RETURNING name, size, format, width, height),"
          " image AS (INSERT INTO images (id, sha256, original_filename, description, delete_token_hash, visibility,"
          "   owner_id, expires_at, name, size, format, width, height, kind, duration, video_codec, audio_codec)"
          "   SELECT $8::text, $2::bytea, $9::text, $10::text, $11::bytea, $12::text, $13::bigint,"
          "   now() + make_interval(secs => $14::double precision),"
          "   $15::text, blob.size, blob.format, blob.width, blob.height,"
          "   CASE WHEN $16::double precision IS NULL THEN 'image' ELSE 'video' END, $16, $17::text, $18::text"
          "   FROM blob"
          "   RETURNING seq, created_at, expires_at)"
          " SELECT image.seq, blob.name,"
          "  " SQL_ISO_UTC("image.created_at") ","
          "  " SQL_ISO_UTC("image.expires_at") " FROM image, blob",
          {std::to_string(content_lock_key(b.sha256)), bytea_param(b.sha256), b.name, std::to_string(b.size), b.format,
           std::to_string(b.width), std::to_string(b.height), img.id, img.original_filename, img.description,
           bytea_param(img.delete_token_hash), std::string(name(img.visibility)),
           img.owner_id ? Param(std::to_string(*img.owner_id)) : Param(),
           img.expires_in ? Param(std::to_string(*img.expires_in)) : Param(), img.name,
           b.duration ? Param(fmt::format("{:.6f}", *b.duration)) : Param(),
           b.video_codec ? Param(*b.video_codec) : Param(), b.audio_codec ? Param(*b.audio_codec) : Param()}};
}

Uploaded ImagesRepo::uploaded(const Result& r) {
  if (r.rows() != 1) throw DbError("upload: expected one row", "XX000");
  return {r.get_int(0, 0), std::string(r.get(0, 1)), std::string(r.get(0, 2)), r.get_opt(0, 3)};
}

std::optional<std::string> ImagesRepo::blob_name(const crypto::Sha256& sha) {
  auto r = c_.run("blob_name", "SELECT name FROM blobs WHERE sha256 = $1", {bytea_param(sha)});
  if (r.rows() == 0) return std::nullopt;
  return std::string(r.get(0, 0));
}

std::optional<ImageRecord> ImagesRepo::find(const std::string& id) {
  auto r = c_.run("find_image", "SELECT " IMAGE_COLUMNS IMAGE_FROM " WHERE i.id = $1", {id});
  if (r.rows() == 0) return std::nullopt;
  return record_at(r, 0);
}

std::optional<ImageRecord> ImagesRepo::find_named(const std::string& name) {
  // The index on images(name) (sql/008) finds it.
  auto r = c_.run("find_image_named",
                  "SELECT " IMAGE_COLUMNS IMAGE_FROM " WHERE i.name = $1 ORDER BY i.seq DESC LIMIT 1", {name});
  if (r.rows() == 0) return std::nullopt;
  return record_at(r, 0);
}

std::optional<ImageRecord> ImagesRepo::find_named_any(const std::vector<std::string>& names) {
  // = ANY of an array is an index scan of images(name) too.
  auto r = c_.run("find_image_named_any",
                  "SELECT " IMAGE_COLUMNS IMAGE_FROM " WHERE i.name = ANY($1::text[]) ORDER BY i.seq DESC LIMIT 1",
                  {text_array_param(names)});
  if (r.rows() == 0) return std::nullopt;
  return record_at(r, 0);
}

std::vector<ImageRecord> ImagesRepo::list_public(std::optional<long long> before, int limit) {
  // Keyset paging over the index of public images on -seq (sql/003): the index walk
  // starts at the cursor, so any page costs the same as the first, and no unlisted row is
  // read.  The order is written -seq ascending because only that index gives it.
  auto r =
      before ? c_.run("list_public_before",
                      "SELECT " IMAGE_COLUMNS IMAGE_FROM
                      " WHERE i.visibility = 'public' AND -i.seq > -$1::bigint AND (i.expires_at <= now()) IS NOT TRUE "
                      "ORDER BY -i.seq LIMIT $2",
                      {std::to_string(*before), std::to_string(limit)})
             : c_.run("list_public_first",
                      "SELECT " IMAGE_COLUMNS IMAGE_FROM
                      " WHERE i.visibility = 'public' AND (i.expires_at <= now()) IS NOT TRUE ORDER BY -i.seq LIMIT $1",
                      {std::to_string(limit)});
  return r.map(record_at);
}

std::vector<ImageRecord> ImagesRepo::list_owned(long long owner_id, std::optional<long long> before, int limit) {
  // The partial index (owner_id, seq DESC) walks one account's images from the cursor.
  auto r = c_.run("list_owned",
                  "SELECT " IMAGE_COLUMNS IMAGE_FROM
                  " WHERE i.owner_id = $1 AND i.seq < COALESCE($2::bigint, 9223372036854775807)"
                  " AND (i.expires_at <= now()) IS NOT TRUE"
                  " ORDER BY i.seq DESC LIMIT $3",
                  {std::to_string(owner_id), before ? Param(std::to_string(*before)) : Param(), std::to_string(limit)});
  return r.map(record_at);
}

std::vector<AlbumItem> ImagesRepo::list_album_items(long long album_seq, std::optional<long long> after, int limit) {
  // The unique index (album_seq, position) walks the album from the cursor.
  auto r = c_.run("list_album_items",
                  "SELECT " IMAGE_COLUMNS ", x.position" IMAGE_FROM
                  " JOIN album_items x ON x.image_seq = i.seq"
                  " WHERE x.album_seq = $1 AND x.position > COALESCE($2::bigint, 0)"
                  " AND (i.expires_at <= now()) IS NOT TRUE ORDER BY x.position LIMIT $3",
                  {std::to_string(album_seq), after ? Param(std::to_string(*after)) : Param(), std::to_string(limit)});
  return r.map([](const Result& row, int i) { return AlbumItem{row.get_int(i, 20), record_at(row, i)}; });
}

bool ImagesRepo::update(const std::string& id, const Changes& ch) {
  const auto flag = [](bool b) { return Param(b ? "t" : "f"); };
  return c_.run("image_update",
                "UPDATE images SET description = CASE WHEN $2::boolean THEN $3::text ELSE description END,"
                " visibility = COALESCE($4::text, visibility) WHERE id = $1",
                {id, flag(ch.description.has_value()), ch.description ? *ch.description : Param(),
                 ch.visibility ? Param(std::string(name(*ch.visibility))) : Param()})
             .affected() == 1;
}

std::optional<ImagesRepo::DeleteTarget> ImagesRepo::delete_target(const std::string& id) {
  auto r = c_.run("delete_target", "SELECT sha256, delete_token_hash, owner_id FROM images WHERE id = $1", {id});
  if (r.rows() == 0) return std::nullopt;
  DeleteTarget t;
  t.sha256 = sha256_from_bytea(r.get(0, 0));
  t.delete_token_hash = from_bytea(r.get(0, 1));
  if (!r.is_null(0, 2)) t.owner_id = r.get_int(0, 2);
  return t;
}

std::optional<std::string> ImagesRepo::delete_image(const std::string& id) {
  // The owner's row is updated in the same statement: a delete and the quota it frees
  // are one.
  auto r = c_.run("delete_image",
                  "WITH d AS (DELETE FROM images WHERE id = $1 RETURNING owner_id, size, name),"
                  " u AS (UPDATE users SET used_bytes = GREATEST(used_bytes - d.size, 0)"
                  "   FROM d WHERE users.id = d.owner_id)"
                  " SELECT name FROM d",
                  {id});
  if (r.rows() == 0) return std::nullopt;
  return std::string(r.get(0, 0));
}

void ImagesRepo::release_content(const crypto::Sha256& sha, const std::string& name) {
  // Two statements: in one, a DELETE and an UPDATE of the same row would both see the
  // snapshot before either.
  const auto gone = c_.run("release_blob",
                           "DELETE FROM blobs b WHERE b.sha256 = $1"
                           " AND NOT EXISTS (SELECT 1 FROM images i WHERE i.sha256 = $1)",
                           {bytea_param(sha)});
  if (gone.affected() > 0) return;
  c_.run("repoint_blob",
         "UPDATE blobs SET name = (SELECT i.name FROM images i WHERE i.sha256 = $1 ORDER BY i.seq LIMIT 1)"
         " WHERE sha256 = $1 AND name = $2",
         {bytea_param(sha), name});
}

bool ImagesRepo::image_named(const std::string& name) {
  return c_.run("image_named", "SELECT 1 FROM images WHERE name = $1 LIMIT 1", {name}).rows() > 0;
}

ImagesRepo::Doomed ImagesRepo::Doomed::at(const Result& r, int row) {
  return {std::string(r.get(row, 0)), sha256_from_bytea(r.get(row, 1)), std::string(r.get(row, 2))};
}

std::vector<ImagesRepo::Doomed> ImagesRepo::expired_images(int limit) {
  auto r = c_.run("expired_images",
                  "SELECT i.id, i.sha256, i.name FROM images i"
                  " WHERE i.expires_at <= now() ORDER BY i.expires_at LIMIT $1",
                  {std::to_string(limit)});
  return r.map(Doomed::at);
}

void ImagesRepo::queue_removal(const std::string& name) {
  c_.run("queue_removal", "INSERT INTO removals (name) VALUES ($1) ON CONFLICT DO NOTHING", {name});
}

void ImagesRepo::dequeue_removal(const std::string& name) {
  c_.run("dequeue_removal", "DELETE FROM removals WHERE name = $1", {name});
}

std::vector<std::string> ImagesRepo::queued_removals() {
  auto r = c_.run("queued_removals", "SELECT name FROM removals ORDER BY queued_at, name", {});
  return r.map([](const Result& row, int i) { return std::string(row.get(i, 0)); });
}

std::vector<ImagesRepo::FileRow> ImagesRepo::all_files() {
  auto r = c_.run("all_files", "SELECT DISTINCT ON (name) sha256, name FROM images ORDER BY name, seq", {});
  return r.map([](const Result& row, int i) {
    return FileRow{sha256_from_bytea(row.get(i, 0)), std::string(row.get(i, 1))};
  });
}

std::vector<std::string> ImagesRepo::delete_images_named(const crypto::Sha256& sha, const std::string& name) {
  auto deleted =
      c_.run("delete_images_named",
             "WITH d AS (DELETE FROM images WHERE sha256 = $1 AND name = $2 RETURNING id, owner_id, size),"
             " u AS (UPDATE users SET used_bytes = GREATEST(used_bytes - x.bytes, 0)"
             "   FROM (SELECT owner_id, sum(size) AS bytes FROM d WHERE owner_id IS NOT NULL GROUP BY owner_id) x"
             "   WHERE users.id = x.owner_id)"
             " SELECT id FROM d",
             {bytea_param(sha), name});
  std::vector<std::string> ids;
  for (int i = 0; i < deleted.rows(); ++i) ids.emplace_back(deleted.get(i, 0));
  release_content(sha, name);
  return ids;
}

std::vector<ImagesRepo::SharedName> ImagesRepo::images_sharing_a_name(long long after, int limit) {
  auto r = c_.run("images_sharing_a_name",
                  "SELECT i.seq, i.sha256, i.name FROM images_without_own_name w JOIN images i ON i.seq = w.image_seq"
                  " WHERE w.image_seq > $1 ORDER BY w.image_seq LIMIT $2",
                  {std::to_string(after), std::to_string(limit)});
  return r.map([](const Result& row, int i) {
    return SharedName{row.get_int(i, 0), sha256_from_bytea(row.get(i, 1)), std::string(row.get(i, 2))};
  });
}

bool ImagesRepo::rename_file(long long seq, const std::string& from, const std::string& to) {
  // The image leaves the list of sql/008 in the same statement.
  auto r = c_.run("rename_file",
                  "WITH listed AS (DELETE FROM images_without_own_name WHERE image_seq = $1),"
                  " renamed AS (UPDATE images SET name = $3 WHERE seq = $1 AND name = $2 RETURNING seq)"
                  " SELECT count(*) FROM renamed",
                  {std::to_string(seq), from, to});
  return r.get_int(0, 0) == 1;
}

std::vector<ImageRecord> ImagesRepo::newest(int limit) {
  auto r = c_.run("newest_images",
                  "SELECT " IMAGE_COLUMNS IMAGE_FROM
                  " WHERE (i.expires_at <= now()) IS NOT TRUE ORDER BY i.seq DESC LIMIT $1",
                  {std::to_string(limit)});
  return r.map(record_at);
}

std::vector<ImageRecord> ImagesRepo::search(const std::string& text, const std::optional<crypto::Sha256>& sha256,
                                            int limit) {
  // The file name is matched as a substring with strpos, not LIKE: what the admin typed
  // is text, never a pattern.  An admin's rare search may scan the table.
  auto r = c_.run("search_images",
                  "SELECT " IMAGE_COLUMNS IMAGE_FROM
                  " WHERE i.id = $1 OR i.sha256 = $2::bytea OR lower(u.username) = lower($1)"
                  "  OR strpos(lower(i.original_filename), lower($1)) > 0"
                  " ORDER BY i.seq DESC LIMIT $3",
                  {text, sha256 ? Param(bytea_param(*sha256)) : Param(), std::to_string(limit)});
  return r.map(record_at);
}

std::vector<ImagesRepo::Doomed> ImagesRepo::owned(long long owner_id, int limit) {
  auto r = c_.run("owned_images", "SELECT i.id, i.sha256, i.name FROM images i WHERE i.owner_id = $1 LIMIT $2",
                  {std::to_string(owner_id), std::to_string(limit)});
  return r.map(Doomed::at);
}

long long ImagesRepo::count_owned(long long owner_id) {
  auto r = c_.run("count_owned", "SELECT count(*) FROM images WHERE owner_id = $1", {std::to_string(owner_id)});
  return r.get_int(0, 0);
}

}  // namespace imghost::db
