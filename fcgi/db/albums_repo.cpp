#include "db/albums_repo.hpp"

#include <algorithm>

#include "db/images_repo.hpp"  // bytea_param of a SHA-256
#include "db/sql_fragments.hpp"

namespace imghost::db {
namespace {

// One column list for every read of an album, so the row is filled in one place.  Laid
// out by hand: clang-format would break inside a call.
// clang-format off
#define ALBUM_COLUMNS                                                                                \
  "a.seq, a.id, a.title, a.description, a.visibility, a.owner_id, u.username, a.manage_token_hash, " \
  "a.status, COALESCE(a.expires_at <= now(), false), a.max_items, "                                  \
  "(SELECT count(*) FROM album_items x WHERE x.album_seq = a.seq), ci.id, "                          \
  SQL_ISO_UTC("a.expires_at") ", " SQL_ISO_UTC("a.created_at")
// clang-format on
#define ALBUM_JOINS " LEFT JOIN users u ON u.id = a.owner_id LEFT JOIN images ci ON ci.seq = a.cover_seq"

AlbumRecord album_at(const Result& r, int row) {
  AlbumRecord a;
  a.seq = r.get_int(row, 0);
  a.id = r.get(row, 1);
  a.title = r.get_opt(row, 2);
  a.description = r.get_opt(row, 3);
  // The column's CHECK allows exactly the two names.
  a.visibility = parse_visibility(r.get(row, 4)).value_or(Visibility::unlisted);
  if (!r.is_null(row, 5)) a.owner_id = r.get_int(row, 5);
  a.owner = r.get_opt(row, 6);
  if (!r.is_null(row, 7)) a.manage_token_hash = from_bytea(r.get(row, 7));
  a.status = r.get(row, 8);
  a.expired = r.get(row, 9) == "t";
  if (!r.is_null(row, 10)) a.max_items = static_cast<int>(r.get_int(row, 10));
  a.item_count = r.get_int(row, 11);
  a.cover_id = r.get_opt(row, 12);
  a.expires_at = r.get_opt(row, 13);
  a.created_at = r.get(row, 14);
  return a;
}

Param optional_int(const std::optional<long long>& v) { return v ? Param(std::to_string(*v)) : Param(); }

}  // namespace

AlbumRecord AlbumsRepo::insert(const NewAlbum& n) {
  auto r = c_.run("album_insert",
                  "WITH a AS (INSERT INTO albums (id, title, description, visibility, owner_id, manage_token_hash,"
                  "   max_items, expires_at)"
                  " VALUES ($1, $2, $3, $4, $5, $6, $7,"
                  "   now() + make_interval(secs => $8::double precision))"  // NULL seconds: NULL, never
                  " RETURNING *)"
                  " SELECT " ALBUM_COLUMNS " FROM a" ALBUM_JOINS,
                  {n.id, n.title, n.description, std::string(name(n.visibility)), optional_int(n.owner_id),
                   n.manage_token_hash ? Param(bytea_param(*n.manage_token_hash)) : Param(),
                   n.max_items ? Param(std::to_string(*n.max_items)) : Param(), optional_int(n.expires_in)});
  return album_at(r, 0);
}

std::optional<AlbumRecord> AlbumsRepo::find(const std::string& id) {
  auto r = c_.run("album_find", "SELECT " ALBUM_COLUMNS " FROM albums a" ALBUM_JOINS " WHERE a.id = $1", {id});
  if (r.rows() == 0) return std::nullopt;
  return album_at(r, 0);
}

std::optional<AlbumRecord> AlbumsRepo::album_of_image(long long image_seq) {
  auto r = c_.run("album_of_image",
                  "SELECT " ALBUM_COLUMNS " FROM album_items i JOIN albums a ON a.seq = i.album_seq" ALBUM_JOINS
                  " WHERE i.image_seq = $1 LIMIT 1",
                  {std::to_string(image_seq)});
  if (r.rows() == 0) return std::nullopt;
  return album_at(r, 0);
}

std::vector<AlbumRecord> AlbumsRepo::list_public(std::optional<long long> before, int limit) {
  // The index of public albums on -seq (sql/006) walks from the cursor, like the
  // catalog's; hence the order written as -seq ascending.
  auto r = c_.run("albums_list_public",
                  "SELECT " ALBUM_COLUMNS " FROM albums a" ALBUM_JOINS
                  " WHERE a.visibility = 'public' AND -a.seq > -COALESCE($1::bigint, 9223372036854775807)"
                  " AND a.status <> 'deleting' AND (a.expires_at <= now()) IS NOT TRUE ORDER BY -a.seq LIMIT $2",
                  {optional_int(before), std::to_string(limit)});
  return r.map(album_at);
}

std::vector<AlbumRecord> AlbumsRepo::list_owned(long long owner_id, std::optional<long long> before, int limit) {
  // The index (owner_id, seq DESC) walks one account's albums from the cursor.
  auto r = c_.run("albums_list_owned",
                  "SELECT " ALBUM_COLUMNS " FROM albums a" ALBUM_JOINS
                  " WHERE a.owner_id = $1 AND a.seq < COALESCE($2::bigint, 9223372036854775807)"
                  " AND a.status <> 'deleting' AND (a.expires_at <= now()) IS NOT TRUE ORDER BY a.seq DESC LIMIT $3",
                  {std::to_string(owner_id), optional_int(before), std::to_string(limit)});
  return r.map(album_at);
}

std::optional<AlbumGate> AlbumsRepo::lock_row(long long album_seq) {
  // NO KEY UPDATE, not UPDATE: the album_items rows an upload inserts hold KEY SHARE on
  // this row through their foreign key, which FOR UPDATE would wait for (the quota's
  // lesson, sql/004 and core/ingest.hpp).
  auto r = c_.run("album_lock",
                  "SELECT status, COALESCE(expires_at <= now(), false), max_items FROM albums WHERE seq = $1"
                  " FOR NO KEY UPDATE",
                  {std::to_string(album_seq)});
  if (r.rows() == 0) return std::nullopt;
  AlbumGate g;
  g.seq = album_seq;
  g.status = r.get(0, 0);
  g.expired = r.get(0, 1) == "t";
  if (!r.is_null(0, 2)) g.max_items = static_cast<int>(r.get_int(0, 2));
  return g;
}

AlbumsRepo::Appended AlbumsRepo::append_items(long long album_seq, const std::vector<long long>& image_seqs) {
  std::string array = "{";
  for (std::size_t i = 0; i < image_seqs.size(); ++i) array += (i ? "," : "") + std::to_string(image_seqs[i]);
  array += "}";
  // A statement of its own, after the row lock: its snapshot is taken now, so it sees
  // the items of every upload that held the lock before.  The rows a data-modifying CTE
  // inserts are not visible to the outer SELECT, hence "existing + inserted".  One row
  // per image whose expiry the album set (LEFT JOIN: at least the count's row).
  auto r = c_.run("album_append",
                  "WITH last AS (SELECT COALESCE(max(position), 0) AS p FROM album_items WHERE album_seq = $1),"
                  " ins AS (INSERT INTO album_items (album_seq, image_seq, position)"
                  "   SELECT $1, s.seq, last.p + s.ord FROM unnest($2::bigint[]) WITH ORDINALITY AS s(seq, ord), last"
                  "   RETURNING image_seq),"
                  " exp AS (UPDATE images i SET expires_at = LEAST(i.expires_at, a.expires_at) FROM albums a"
                  "   WHERE a.seq = $1 AND a.expires_at IS NOT NULL AND i.seq IN (SELECT image_seq FROM ins)"
                  "   RETURNING i.seq, " SQL_ISO_UTC("i.expires_at") " AS at),"
                  " n AS (SELECT (SELECT count(*) FROM album_items WHERE album_seq = $1) + (SELECT count(*) FROM ins)"
                  "   AS count)"
                  " SELECT n.count, exp.seq, exp.at FROM n LEFT JOIN exp ON true",
                  {std::to_string(album_seq), array});
  Appended out;
  out.item_count = r.get_int(0, 0);
  for (int i = 0; i < r.rows(); ++i)
    if (!r.is_null(i, 1)) out.expires_at.emplace_back(r.get_int(i, 1), std::string(r.get(i, 2)));
  return out;
}

std::vector<std::pair<long long, std::string>> AlbumsRepo::live_items(long long album_seq) {
  auto r = c_.run("album_live_items",
                  "SELECT i.seq, i.id FROM album_items x JOIN images i ON i.seq = x.image_seq"
                  " WHERE x.album_seq = $1 AND (i.expires_at <= now()) IS NOT TRUE ORDER BY x.position",
                  {std::to_string(album_seq)});
  return r.map([](const Result& row, int i) {
    return std::pair<long long, std::string>(row.get_int(i, 0), std::string(row.get(i, 1)));
  });
}

void AlbumsRepo::reorder(long long album_seq, const std::vector<long long>& image_seqs) {
  std::string array = "{";
  for (std::size_t i = 0; i < image_seqs.size(); ++i) array += (i ? "," : "") + std::to_string(image_seqs[i]);
  array += "}";
  // One UPDATE: the constraint album_items_position is DEFERRABLE, so PostgreSQL checks
  // it once the statement is done, not row by row (a swap would collide half-way).
  c_.run("album_reorder",
         "WITH wanted AS (SELECT s.seq AS image_seq, s.ord AS position"
         "   FROM unnest($2::bigint[]) WITH ORDINALITY AS s(seq, ord)),"
         " rest AS (SELECT x.image_seq, cardinality($2::bigint[]) + row_number() OVER (ORDER BY x.position) AS position"
         "   FROM album_items x WHERE x.album_seq = $1 AND x.image_seq <> ALL ($2::bigint[])),"
         " target AS (SELECT * FROM wanted UNION ALL SELECT * FROM rest)"
         " UPDATE album_items x SET position = t.position FROM target t"
         " WHERE x.album_seq = $1 AND x.image_seq = t.image_seq",
         {std::to_string(album_seq), array});
}

void AlbumsRepo::update(long long album_seq, const Changes& ch) {
  const auto flag = [](bool b) { return Param(b ? "t" : "f"); };
  c_.run("album_update",
         "UPDATE albums SET title = CASE WHEN $2::boolean THEN $3::text ELSE title END,"
         " description = CASE WHEN $4::boolean THEN $5::text ELSE description END,"
         " status = CASE WHEN $6::boolean THEN 'closed' ELSE status END,"
         " cover_seq = CASE WHEN $7::boolean THEN $8::bigint ELSE cover_seq END"
         " WHERE seq = $1",
         {std::to_string(album_seq), flag(ch.title.has_value()), ch.title ? *ch.title : Param(),
          flag(ch.description.has_value()), ch.description ? *ch.description : Param(), flag(ch.close),
          flag(ch.cover_seq.has_value()), ch.cover_seq ? optional_int(*ch.cover_seq) : Param()});
}

std::vector<AlbumsRepo::Doomed> AlbumsRepo::albums_to_remove(int limit) {
  auto r = c_.run("albums_to_remove",
                  "SELECT seq, id, status = 'deleting' AND (expires_at <= now()) IS NOT TRUE FROM albums"
                  " WHERE status = 'deleting' OR expires_at <= now() ORDER BY seq LIMIT $1",
                  {std::to_string(limit)});
  return r.map([](const Result& row, int i) {
    return Doomed{row.get_int(i, 0), std::string(row.get(i, 1)), row.get(i, 2) == "t"};
  });
}

bool AlbumsRepo::mark_deleting(long long album_seq) {
  return c_.run("album_mark_deleting", "UPDATE albums SET status = 'deleting' WHERE seq = $1",
                {std::to_string(album_seq)})
             .affected() == 1;
}

std::vector<ImagesRepo::Doomed> AlbumsRepo::images_only_here(long long album_seq, int limit) {
  auto r = c_.run("album_images_only_here",
                  "SELECT i.id, i.sha256, i.name FROM album_items x JOIN images i ON i.seq = x.image_seq"
                  " WHERE x.album_seq = $1 AND NOT EXISTS"
                  " (SELECT 1 FROM album_items y WHERE y.image_seq = x.image_seq AND y.album_seq <> $1)"
                  " ORDER BY x.position LIMIT $2",
                  {std::to_string(album_seq), std::to_string(limit)});
  return r.map(ImagesRepo::Doomed::at);
}

bool AlbumsRepo::delete_album(long long album_seq) {
  return c_.run("album_delete", "DELETE FROM albums WHERE seq = $1", {std::to_string(album_seq)}).affected() == 1;
}

std::vector<long long> AlbumsRepo::lock_empty(long long ttl_seconds, int limit) {
  // Every album is looked at (its items through their primary key): there are far
  // fewer albums than images, and the cleanup runs once a minute.
  auto r = c_.run("albums_lock_empty",
                  "SELECT a.seq FROM albums a"
                  " WHERE a.owner_id IS NULL"
                  " AND a.created_at <= now() - make_interval(secs => $1::double precision)"
                  " AND a.status <> 'deleting' AND (a.expires_at <= now()) IS NOT TRUE"
                  " AND NOT EXISTS (SELECT 1 FROM album_items x WHERE x.album_seq = a.seq)"
                  " ORDER BY a.seq LIMIT $2 FOR UPDATE SKIP LOCKED",
                  {std::to_string(ttl_seconds), std::to_string(limit)});
  return r.map([](const Result& row, int i) { return row.get_int(i, 0); });
}

std::vector<std::string> AlbumsRepo::delete_if_empty(const std::vector<long long>& album_seqs) {
  std::string array = "{";
  for (std::size_t i = 0; i < album_seqs.size(); ++i) array += (i ? "," : "") + std::to_string(album_seqs[i]);
  array += "}";
  auto r = c_.run("albums_delete_if_empty",
                  "DELETE FROM albums a WHERE a.seq = ANY ($1::bigint[])"
                  " AND NOT EXISTS (SELECT 1 FROM album_items x WHERE x.album_seq = a.seq) RETURNING a.id",
                  {array});
  return r.map([](const Result& row, int i) { return std::string(row.get(i, 0)); });
}

}  // namespace imghost::db
