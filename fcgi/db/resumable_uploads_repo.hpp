// The resumable_uploads table (sql/011_resumable_uploads.sql): tus uploads being
// received, and the outcome of finished ones until they expire.
//
// Every method runs one statement on the given connection and throws db::DbError.
// Rows are found by the SHA-256 of the upload's key (its URL's secret), never by the key.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "base/crypto.hpp"
#include "db/pg.hpp"

namespace imghost::db {

struct ResumableUploadRow {
  crypto::Sha256 key_sha256{};
  std::optional<long long> owner_id;
  long long length = 0;
  long long received = 0;
  std::string metadata;      // a JSON object, as stored
  std::string expires_http;  // expires_at as an HTTP date ("Wed, 25 Jun 2014 16:00:00 GMT")
  bool expired = false;      // expires_at <= now()
  std::optional<std::string> image_id;
  std::optional<std::string> refusal_code;
  std::string refusal_message;
};

class ResumableUploadsRepo {
 public:
  explicit ResumableUploadsRepo(Connection& c) : c_(c) {}

  // Inserts a new upload expiring `expires_in` seconds from now; returns the row.
  ResumableUploadRow insert(const crypto::Sha256& key_sha256, std::optional<long long> owner_id, long long length,
                            const std::string& metadata_json, long long expires_in);
  std::optional<ResumableUploadRow> find(const crypto::Sha256& key_sha256);
  // Moves `received` from `from` to `to`; false when the row is gone or its offset is no
  // longer `from` (another request moved it).
  bool advance(const crypto::Sha256& key_sha256, long long from, long long to);
  // Records the outcome of a complete upload.
  void finish_stored(const crypto::Sha256& key_sha256, const std::string& image_id);
  void finish_refused(const crypto::Sha256& key_sha256, const std::string& code, const std::string& message);
  // Deletes the row; false when it was gone.
  bool remove(const crypto::Sha256& key_sha256);
  // Up to `limit` uploads past their expires_at, oldest first.
  std::vector<crypto::Sha256> expired(int limit);
  // Whether a row with this key hash exists (for the cleanup's sweep of files).
  bool exists(const crypto::Sha256& key_sha256);

 private:
  Connection& c_;
};

}  // namespace imghost::db
