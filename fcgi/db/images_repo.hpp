// The images and blobs tables (sql/001_init.sql).  A blob is one stored file, named
// randomly and keyed by the SHA-256 of its bytes; an image is one upload of a blob with
// its own id, description and delete token.  Identical bytes share one blob.
//
// Every method runs one statement on the given connection and throws db::DbError.
// Locking: callers that create or remove blobs first take lock_content() inside their
// transaction, so "is this blob still referenced?" and the file on disk never race.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "base/crypto.hpp"
#include "db/pg.hpp"

namespace imghost::db {

struct ImageRecord {
  long long seq = 0;                    // keyset for paging; newest is largest
  std::string id;
  std::string name;                     // stored file name
  std::string original_filename;
  std::string format;                   // "jpeg", ...
  long long size = 0;
  int width = 0;
  int height = 0;
  std::string sha256;                   // hex
  std::optional<std::string> description;
  std::string created_at;               // ISO 8601, UTC, "Z"
};

struct NewBlob {
  crypto::Sha256 sha256;
  std::string name;
  long long size;
  std::string format;
  int width;
  int height;
};

struct NewImage {
  std::string id;
  crypto::Sha256 sha256;
  std::string original_filename;
  std::optional<std::string> description;
  crypto::Sha256 delete_token_hash;
};

class ImagesRepo {
 public:
  explicit ImagesRepo(Connection& c) : c_(c) {}

  // Transaction-scoped advisory lock on this content (released at COMMIT/ROLLBACK).
  void lock_content(const crypto::Sha256& sha);
  // Session-scoped variant for flows that must hold it past COMMIT (delete then unlink).
  void lock_content_session(const crypto::Sha256& sha);
  void unlock_content_session(const crypto::Sha256& sha);

  std::optional<std::string> blob_name(const crypto::Sha256& sha);
  void insert_blob(const NewBlob& b);
  // Inserts and returns the full record (seq and created_at from the database).
  ImageRecord insert_image(const NewImage& img);

  std::optional<ImageRecord> find(const std::string& id);
  // Newest first; only rows with seq < before when given.
  std::vector<ImageRecord> list(std::optional<long long> before, int limit);

  struct DeleteTarget {
    crypto::Sha256 sha256;
    std::string delete_token_hash;  // raw 32 bytes
  };
  std::optional<DeleteTarget> delete_target(const std::string& id);
  // Deletes the image row; false if it was already gone.
  bool delete_image(const std::string& id);
  // Deletes the blob if no image refers to it any more; returns its file name then.
  std::optional<std::string> delete_blob_if_unreferenced(const crypto::Sha256& sha);
  // Whether a blob row names this file (the repair check and reaper ask).
  bool blob_exists(const std::string& name);

 private:
  Connection& c_;
};

// Holds the session-level content lock from construction to destruction, on every path
// (a lost connection releases it by itself).  For flows that must keep it past a COMMIT:
// delete then unlink, the repair check.
class ContentSessionLock {
 public:
  ContentSessionLock(ImagesRepo& repo, const crypto::Sha256& sha) : repo_(repo), sha_(sha) {
    repo_.lock_content_session(sha_);
  }
  ~ContentSessionLock() {
    try {
      repo_.unlock_content_session(sha_);
    } catch (...) {
    }
  }
  ContentSessionLock(const ContentSessionLock&) = delete;
  ContentSessionLock& operator=(const ContentSessionLock&) = delete;

 private:
  ImagesRepo& repo_;
  crypto::Sha256 sha_;
};

// "\\x0a1b..." for a bytea parameter.
std::string bytea_param(const unsigned char* p, std::size_t n);
inline std::string bytea_param(const crypto::Sha256& d) { return bytea_param(d.data(), d.size()); }
// The advisory lock key of some content: its first 8 bytes as a signed 64-bit number.
long long lock_key(const crypto::Sha256& sha);

}  // namespace imghost::db
