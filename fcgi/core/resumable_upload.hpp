// Resumable uploads (tus 1.0, README "Resumable uploads"): a file sent in pieces over
// as many requests as the network needs, then stored through the same flow as any upload.
//
// An upload is a row (db: resumable_uploads) and a data file, store_dir/.tus/<hex of the
// key's SHA-256>.  Its key (160 random bits, in its URL) is what an anonymous creator
// proves it with; an account's upload needs that account as well.  Anyone else gets 404.
//
// Durability: a piece's bytes are written and fsynced before the row's `received` moves
// past them, and only then is the new offset answered.  A worker killed mid-piece leaves
// bytes past `received` in the file, which the next append cuts off; a client that goes
// away mid-piece keeps what arrived (synced, then acknowledged in the row), unless the
// piece carried a checksum, which cannot be checked on part of it.  One append at a time
// per upload: the data file's flock(2), which dies with its worker.
//
// The last byte: the file is staged and hashed as a multipart file part is
// (core/incoming_file.hpp), then checked and stored by candidate_of() and ingest() in
// their one transaction.  A refusal is final: the row keeps its code and message, the
// data file goes, nothing is stored.  A failure of the server (unavailable, the database,
// the store) is not: the file stays whole and an empty append at the end tries again.
//
// Everything throws imghost::Error with the API's codes, ChecksumMismatch, db::DbError
// or std::system_error (the data file or the store).
#pragma once

#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>

#include "core/app.hpp"
#include "domain/error.hpp"
#include "domain/log.hpp"
#include "domain/user_record.hpp"

namespace imghost {
namespace db {
class Connection;
}

namespace resumable {

// The largest Upload-Length taken (Tus-Max-Size).
std::uint64_t max_size(const Config& config);

// What HEAD and GET tell of an upload.
struct Status {
  long long length = 0;
  long long received = 0;
  std::string expires_http;             // Upload-Expires, an HTTP date
  std::optional<std::string> image_id;  // stored as this image
  std::optional<Error> refusal;         // or refused so
};

struct Created {
  std::string key;  // the URL's last segment; shown once
  Status status;
};

// Creates an upload of `length` bytes for `account` (nullptr: anonymous).  `metadata`
// holds the decoded Upload-Metadata pairs; the known ones (filename, description,
// visibility, album, expires_in) are checked now as a multipart upload's fields are, the
// album with `manage_token` (X-Manage-Token, "" when none), so a bad one costs no bytes.
// Throws bad_request, too_large (over max_size), unauthorized, forbidden, not_found,
// expired, conflict.
Created create(App& app, const UserRecord* account, long long length,
               const std::map<std::string, std::string>& metadata, const std::string& manage_token);

// The upload of `key` as `account` may see it; not_found when there is none or it is
// someone else's, expired once past its Upload-Expires.
Status find(App& app, const UserRecord* account, std::string_view key);

// Abandons an unfinished upload (its row, then its file); a finished one's outcome is
// forgotten.  Throws as find().
void abandon(App& app, const UserRecord* account, std::string_view key);

// Upload-Checksum of one append: the algorithm ("sha1" or "sha256") and the raw digest.
struct Checksum {
  std::string algorithm;
  std::string digest;
};

class ChecksumMismatch : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Reads the request body: passes its pieces to the sink; throws too_large before reading
// when it declares more than `max_bytes`, bad_request when it ends short (after passing
// what did arrive).
using BodyReader = std::function<void(std::uint64_t max_bytes, const std::function<void(std::string_view)>& sink)>;

struct Appended {
  long long offset = 0;                     // the new Upload-Offset
  std::optional<std::string> image_id;      // the last byte arrived and was stored
  std::optional<std::string> delete_token;  // with it, the image's delete token (shown once)
};

// Appends the body at `offset` (Upload-Offset).  conflict when it is not the upload's
// offset, when another append to it is running, or when the upload is finished (an
// empty append at the end of a finished upload answers its outcome again);
// ChecksumMismatch (460) when `checksum` does not match (nothing of the body kept);
// too_large when the body would go past Upload-Length.  When the last byte is in, the
// file is stored (or refused: the refusal's Error is thrown) as described above.
Appended append(App& app, const UserRecord* account, std::string_view key, long long offset,
                const std::optional<Checksum>& checksum, const BodyReader& read_body, const std::string& manage_token);

// The cleanup's part (imghost-admin expire): removes uploads past their Upload-Expires
// (the row, then the data file) and data files that no row names, older than an hour (a
// crash between the two).  Crash-safe: a run killed anywhere leaves only files the next
// run's sweep removes.  Returns how many uploads were removed; logs each.
std::size_t remove_expired(db::Connection& conn, const std::filesystem::path& store_dir, AppLog& log);

}  // namespace resumable
}  // namespace imghost
