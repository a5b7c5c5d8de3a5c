#include "db/resumable_uploads_repo.hpp"

#include <string_view>

namespace imghost::db {
namespace {

// clang-format off
#define UPLOAD_COLUMNS                                                                          \
  "key_sha256, owner_id, length, received, metadata::text, "                                   \
  "to_char(expires_at AT TIME ZONE 'UTC', 'Dy, DD Mon YYYY HH24:MI:SS \"GMT\"'), "              \
  "expires_at <= now(), image_id, refusal_code, coalesce(refusal_message, '')"
// clang-format on

std::string key_param(const crypto::Sha256& k) {
  return bytea_param(std::string_view(reinterpret_cast<const char*>(k.data()), k.size()));
}

ResumableUploadRow row_at(const Result& r, int row) {
  ResumableUploadRow u;
  u.key_sha256 = sha256_from_bytea(r.get(row, 0));
  if (!r.is_null(row, 1)) u.owner_id = r.get_int(row, 1);
  u.length = r.get_int(row, 2);
  u.received = r.get_int(row, 3);
  u.metadata = r.get(row, 4);
  u.expires_http = r.get(row, 5);
  u.expired = r.get(row, 6) == "t";
  u.image_id = r.get_opt(row, 7);
  u.refusal_code = r.get_opt(row, 8);
  u.refusal_message = r.get(row, 9);
  return u;
}

}  // namespace

ResumableUploadRow ResumableUploadsRepo::insert(const crypto::Sha256& key_sha256, std::optional<long long> owner_id,
                                                long long length, const std::string& metadata_json,
                                                long long expires_in) {
  const auto r = c_.run("resumable_insert",
                        "INSERT INTO resumable_uploads (key_sha256, owner_id, length, metadata, expires_at) "
                        "VALUES ($1, $2, $3, $4::jsonb, now() + make_interval(secs => $5)) RETURNING " UPLOAD_COLUMNS,
                        {key_param(key_sha256), owner_id ? Param(std::to_string(*owner_id)) : Param(),
                         std::to_string(length), metadata_json, std::to_string(expires_in)});
  return row_at(r, 0);
}

std::optional<ResumableUploadRow> ResumableUploadsRepo::find(const crypto::Sha256& key_sha256) {
  const auto r = c_.run("resumable_find", "SELECT " UPLOAD_COLUMNS " FROM resumable_uploads WHERE key_sha256 = $1",
                        {key_param(key_sha256)});
  if (r.rows() == 0) return std::nullopt;
  return row_at(r, 0);
}

bool ResumableUploadsRepo::advance(const crypto::Sha256& key_sha256, long long from, long long to) {
  const auto r = c_.run("resumable_advance",
                        "UPDATE resumable_uploads SET received = $3 "
                        "WHERE key_sha256 = $1 AND received = $2 AND image_id IS NULL AND refusal_code IS NULL",
                        {key_param(key_sha256), std::to_string(from), std::to_string(to)});
  return r.affected() == 1;
}

void ResumableUploadsRepo::finish_stored(const crypto::Sha256& key_sha256, const std::string& image_id) {
  c_.run("resumable_stored", "UPDATE resumable_uploads SET image_id = $2 WHERE key_sha256 = $1",
         {key_param(key_sha256), image_id});
}

void ResumableUploadsRepo::finish_refused(const crypto::Sha256& key_sha256, const std::string& code,
                                          const std::string& message) {
  c_.run("resumable_refused",
         "UPDATE resumable_uploads SET refusal_code = $2, refusal_message = $3 WHERE key_sha256 = $1",
         {key_param(key_sha256), code, message});
}

bool ResumableUploadsRepo::remove(const crypto::Sha256& key_sha256) {
  return c_.run("resumable_remove", "DELETE FROM resumable_uploads WHERE key_sha256 = $1", {key_param(key_sha256)})
             .affected() == 1;
}

std::vector<crypto::Sha256> ResumableUploadsRepo::expired(int limit) {
  const auto r = c_.run("resumable_expired",
                        "SELECT key_sha256 FROM resumable_uploads WHERE expires_at <= now() "
                        "ORDER BY expires_at LIMIT $1",
                        {std::to_string(limit)});
  return r.map([](const Result& res, int row) { return sha256_from_bytea(res.get(row, 0)); });
}

bool ResumableUploadsRepo::exists(const crypto::Sha256& key_sha256) {
  return c_.run("resumable_exists", "SELECT 1 FROM resumable_uploads WHERE key_sha256 = $1", {key_param(key_sha256)})
             .rows() == 1;
}

}  // namespace imghost::db
