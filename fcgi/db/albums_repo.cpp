#include "db/albums_repo.hpp"

#include <algorithm>

#include "db/images_repo.hpp"  // bytea_param of a SHA-256

namespace imghost::db {
namespace {

#define ISO_UTC(col) "to_char(" col " AT TIME ZONE 'UTC', 'YYYY-MM-DD\"T\"HH24:MI:SS\"Z\"')"
// One column list for every read of an album, so the row is filled in one place.
#define ALBUM_COLUMNS                                                                                             \
  "a.seq, a.id, a.title, a.description, a.visibility, a.owner_id, u.username, a.manage_token_hash, "              \
  "a.status, COALESCE(a.expires_at <= now(), false), a.max_items, "                                               \
  "(SELECT count(*) FROM album_items x WHERE x.album_seq = a.seq), ci.id, " ISO_UTC("a.expires_at") ", " ISO_UTC( \
      "a.created_at")
#define ALBUM_JOINS " LEFT JOIN users u ON u.id = a.owner_id LEFT JOIN images ci ON ci.seq = a.cover_seq"

AlbumRow album_at(const Result& r, int row) {
  AlbumRow a;
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

AlbumRow AlbumsRepo::insert(const NewAlbum& n) {
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

std::optional<AlbumRow> AlbumsRepo::find(const std::string& id) {
  auto r = c_.run("album_find", "SELECT " ALBUM_COLUMNS " FROM albums a" ALBUM_JOINS " WHERE a.id = $1", {id});
  if (r.rows() == 0) return std::nullopt;
  return album_at(r, 0);
}

std::optional<AlbumRow> AlbumsRepo::album_of_image(long long image_seq) {
  auto r = c_.run("album_of_image",
                  "SELECT " ALBUM_COLUMNS " FROM album_items i JOIN albums a ON a.seq = i.album_seq" ALBUM_JOINS
                  " WHERE i.image_seq = $1 LIMIT 1",
                  {std::to_string(image_seq)});
  if (r.rows() == 0) return std::nullopt;
  return album_at(r, 0);
}

std::optional<AlbumGate> AlbumsRepo::lock_for_upload(long long album_seq) {
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

long long AlbumsRepo::append_items(long long album_seq, const std::vector<long long>& image_seqs) {
  std::string array = "{";
  for (std::size_t i = 0; i < image_seqs.size(); ++i) array += (i ? "," : "") + std::to_string(image_seqs[i]);
  array += "}";
  // A statement of its own, after the row lock: its snapshot is taken now, so it sees
  // the items of every upload that held the lock before.  The rows a data-modifying CTE
  // inserts are not visible to the outer SELECT, hence "existing + inserted".
  auto r = c_.run("album_append",
                  "WITH last AS (SELECT COALESCE(max(position), 0) AS p FROM album_items WHERE album_seq = $1),"
                  " ins AS (INSERT INTO album_items (album_seq, image_seq, position)"
                  "   SELECT $1, s.seq, last.p + s.ord FROM unnest($2::bigint[]) WITH ORDINALITY AS s(seq, ord), last"
                  "   RETURNING image_seq),"
                  " exp AS (UPDATE images i SET expires_at = LEAST(i.expires_at, a.expires_at) FROM albums a"
                  "   WHERE a.seq = $1 AND a.expires_at IS NOT NULL AND i.seq IN (SELECT image_seq FROM ins))"
                  " SELECT (SELECT count(*) FROM album_items WHERE album_seq = $1) + (SELECT count(*) FROM ins)",
                  {std::to_string(album_seq), array});
  return r.get_int(0, 0);
}

std::vector<std::pair<long long, std::string>> AlbumsRepo::albums_to_remove(int limit) {
  auto r = c_.run("albums_to_remove",
                  "SELECT seq, id FROM albums WHERE status = 'deleting' OR expires_at <= now() ORDER BY seq LIMIT $1",
                  {std::to_string(limit)});
  std::vector<std::pair<long long, std::string>> out;
  for (int i = 0; i < r.rows(); ++i) out.emplace_back(r.get_int(i, 0), std::string(r.get(i, 1)));
  return out;
}

bool AlbumsRepo::mark_deleting(long long album_seq) {
  return c_.run("album_mark_deleting", "UPDATE albums SET status = 'deleting' WHERE seq = $1",
                {std::to_string(album_seq)})
             .affected() == 1;
}

std::vector<AlbumsRepo::Member> AlbumsRepo::images_only_here(long long album_seq, int limit) {
  auto r = c_.run("album_images_only_here",
                  "SELECT i.id, i.sha256, b.name FROM album_items x JOIN images i ON i.seq = x.image_seq"
                  " JOIN blobs b ON b.sha256 = i.sha256 WHERE x.album_seq = $1 AND NOT EXISTS"
                  " (SELECT 1 FROM album_items y WHERE y.image_seq = x.image_seq AND y.album_seq <> $1)"
                  " ORDER BY x.position LIMIT $2",
                  {std::to_string(album_seq), std::to_string(limit)});
  std::vector<Member> out;
  for (int i = 0; i < r.rows(); ++i) {
    Member m;
    m.id = r.get(i, 0);
    const std::string raw = from_bytea(r.get(i, 1));
    if (raw.size() != m.sha256.size()) throw DbError("a malformed sha256", "XX000");
    std::copy(raw.begin(), raw.end(), m.sha256.begin());
    m.name = r.get(i, 2);
    out.push_back(std::move(m));
  }
  return out;
}

bool AlbumsRepo::delete_album(long long album_seq) {
  return c_.run("album_delete", "DELETE FROM albums WHERE seq = $1", {std::to_string(album_seq)}).affected() == 1;
}

}  // namespace imghost::db
