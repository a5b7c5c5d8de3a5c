#include "core/resumable_upload.hpp"

#include <fcntl.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fmt/format.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <nlohmann/json.hpp>
#include <system_error>
#include <utility>
#include <vector>

#include "base/crypto.hpp"
#include "base/digest.hpp"
#include "base/posix_file.hpp"
#include "base/text.hpp"
#include "core/incoming_file.hpp"
#include "core/ingest.hpp"
#include "core/upload_admission.hpp"
#include "core/upload_validation.hpp"
#include "db/pg.hpp"
#include "db/resumable_uploads_repo.hpp"
#include "domain/free_text.hpp"
#include "domain/naming.hpp"
#include "domain/translate.hpp"
#include "domain/visibility.hpp"

namespace imghost::resumable {
namespace {

namespace fs = std::filesystem;

constexpr std::size_t kKeyChars = 32;  // 160 bits of base32
constexpr std::size_t kCopyPiece = 64u << 10;
// A data file without a row is left this long before the sweep removes it: it may be an
// upload whose first append is just creating it.
constexpr auto kOrphanGrace = std::chrono::hours(1);
constexpr long long kFlushStep = 1 << 20;

using posix_file::fail;
using posix_file::Fd;
using posix_file::fsync_dir;

fs::path data_dir(const fs::path& store_dir) { return store_dir / ".tus"; }
fs::path data_file(const fs::path& store_dir, const crypto::Sha256& key_sha256) {
  return data_dir(store_dir) / crypto::to_hex(key_sha256);
}

// Unlinks the data file, durably; one already gone is not an error.
void remove_data_file(const fs::path& store_dir, const crypto::Sha256& key_sha256) {
  const auto p = data_file(store_dir, key_sha256);
  if (::unlink(p.c_str()) != 0) {
    if (errno == ENOENT) return;
    fail("unlink " + p.string());
  }
  fsync_dir(p.parent_path());
}

bool well_formed_key(std::string_view key) {
  if (key.size() != kKeyChars) return false;
  for (const char c : key)
    if (!((c >= 'a' && c <= 'z') || (c >= '2' && c <= '7'))) return false;
  return true;
}

crypto::Sha256 key_hash(std::string_view key) { return crypto::sha256(key); }

std::string short_id(const crypto::Sha256& key_sha256) { return crypto::to_hex(key_sha256).substr(0, 12); }

Status status_of(const db::ResumableUploadRow& row) {
  Status s;
  s.length = row.length;
  s.received = row.received;
  s.expires_http = row.expires_http;
  s.image_id = row.image_id;
  if (row.refusal_code) {
    for (int c = 0; c <= static_cast<int>(ErrorCode::unavailable); ++c)
      if (code_name(static_cast<ErrorCode>(c)) == *row.refusal_code)
        s.refusal = Error(static_cast<ErrorCode>(c), row.refusal_message);
    if (!s.refusal) s.refusal = errors::bad_request(row.refusal_message);
  }
  return s;
}

// The row of `key` if `account` may see it: an account's upload only to that account,
// an anonymous one to whoever holds its key.  not_found otherwise, expired past its time.
db::ResumableUploadRow visible_row(db::ResumableUploadsRepo& repo, const UserRecord* account, std::string_view key) {
  if (!well_formed_key(key)) throw errors::not_found(i18n::tr("no such upload"));
  auto row = repo.find(key_hash(key));
  if (!row) throw errors::not_found(i18n::tr("no such upload"));
  if (row->owner_id && (!account || account->id != *row->owner_id)) throw errors::not_found(i18n::tr("no such upload"));
  if (row->expired) throw errors::expired(i18n::tr("this upload has expired"));
  return *row;
}

std::optional<std::string> meta(const std::map<std::string, std::string>& m, const char* name) {
  const auto it = m.find(name);
  if (it == m.end()) return std::nullopt;
  return it->second;
}

// The metadata a multipart upload would carry as fields, checked as there.
struct Fields {
  std::string filename;  // cleaned
  std::optional<std::string> description;
  Visibility visibility = Visibility::unlisted;
  std::optional<std::string> album;
  std::optional<std::string> expires_in;
};

Fields checked_fields(const Config& cfg, const nlohmann::json& j) {
  Fields f;
  auto str = [&](const char* k) -> std::optional<std::string> {
    if (!j.contains(k) || !j[k].is_string()) return std::nullopt;
    return j[k].get<std::string>();
  };
  f.filename = text::clean_filename(str("filename").value_or(""));
  if (const auto d = str("description")) f.description = checked_free_text(*d, "description", kMaxDescriptionChars);
  f.visibility = cfg.default_visibility;
  if (const auto v = str("visibility")) {
    const auto parsed = parse_visibility(*v);
    if (!parsed) throw errors::bad_request(i18n::tr("visibility must be public or unlisted"));
    f.visibility = *parsed;
  }
  f.album = str("album");
  f.expires_in = str("expires_in");
  return f;
}

// Where the file goes, judged as a multipart upload's fields are (upload_admission.hpp).
Destination destination_of(App& app, const UserRecord* account, const Fields& f, const std::string& manage_token) {
  admit_upload(app, account, "", manage_token);
  PlacementRequest where;
  where.expires_in = f.expires_in;
  where.album_field = f.album.value_or("");
  where.header_token = manage_token;
  where.visibility = f.visibility;
  return place_upload(app, account, std::move(where));
}

// The last byte is in: the data file goes through the upload flow.  Returns the stored
// image, or throws its refusal after recording it (and removing the file).
Stored store_complete(App& app, db::ResumableUploadsRepo& repo, const db::ResumableUploadRow& row,
                      const UserRecord* account, int fd, const std::string& manage_token) {
  const auto& cfg = app.config();
  const auto id = short_id(row.key_sha256);
  try {
    const Fields f = checked_fields(cfg, nlohmann::json::parse(row.metadata));
    const auto destination = destination_of(app, account, f, manage_token);
    // The data file stays whole until the outcome is recorded: the checks only read a
    // staged file, and bytes stored otherwise (metadata stripped, a video remuxed) get a
    // staged file of their own.  So the staged file is the data file under a second name
    // (hundreds of megabytes not copied), already synced piece by piece; a copy, staged
    // and hashed as a multipart file part streams in, only when the staging folder is
    // on another disk.
    IncomingFile incoming;
    if (auto linked = app.store().stage_link(data_file(cfg.store_dir, row.key_sha256), true)) {
      if (::fchmod(fd, 0644) != 0) fail("chmod upload " + id);  // as a staged file is: nginx serves originals
      const auto digest = crypto::sha256_of_file(fd);
      if (digest.size != static_cast<std::uint64_t>(row.length))
        throw std::system_error(EIO, std::generic_category(), "upload " + id + " is not the size received");
      incoming.adopt(std::move(*linked), digest.sha256);
    } else {
      std::string buf(kCopyPiece, '\0');
      for (off_t at = 0; at < row.length;) {
        const ssize_t n = ::pread(fd, buf.data(), buf.size(), at);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) fail("read upload " + id);
        if (n == 0) throw std::system_error(EIO, std::generic_category(), "upload " + id + " is shorter than received");
        incoming.write(app, std::string_view(buf.data(), static_cast<std::size_t>(n)));
        at += n;
      }
      incoming.finish();
    }
    const std::string shown = f.filename.empty() ? "the file" : f.filename;
    std::vector<Candidate> files;
    files.push_back(candidate_of(app, incoming, f.filename, shown));
    incoming.release();
    const auto stored = ingest(app, files, f.description, f.visibility,
                               account ? Uploader{account->id, account->username} : Uploader{}, destination.placement);
    const auto& r = stored.at(0).record;
    const auto logged_name = r.original_filename.empty() ? std::string("(unnamed)") : r.original_filename;
    const auto n = static_cast<long>(r.size);
    app.log().success(r.owner ? i18n::msgn("image {} uploaded as {} ({} byte, resumable upload {}) by {}.",
                                           "image {} uploaded as {} ({} bytes, resumable upload {}) by {}.", n,
                                           logged_name, r.name, r.size, id, *r.owner)
                              : i18n::msgn("image {} uploaded as {} ({} byte, resumable upload {}).",
                                           "image {} uploaded as {} ({} bytes, resumable upload {}).", n, logged_name,
                                           r.name, r.size, id));
    repo.finish_stored(row.key_sha256, r.id);
    remove_data_file(cfg.store_dir, row.key_sha256);
    return stored.at(0);
  } catch (const Error& e) {
    if (e.code() == ErrorCode::unavailable) throw;  // the server's trouble: the file stays for a retry
    repo.finish_refused(row.key_sha256, std::string(code_name(e.code())), e.what());
    remove_data_file(cfg.store_dir, row.key_sha256);
    throw;
  } catch (const nlohmann::json::exception&) {
    throw errors::bad_request(i18n::tr("this upload's metadata is unreadable"));
  }
}

}  // namespace

// The largest file an upload may become: an image's limit, or a video's when videos are
// accepted and theirs is larger (the last byte's checks apply the right one by content).
std::uint64_t max_size(const Config& config) {
  return config.video.accepted.empty() ? config.max_file_bytes
                                       : std::max(config.max_file_bytes, config.video.max_bytes);
}

Created create(App& app, const UserRecord* account, long long length,
               const std::map<std::string, std::string>& metadata, const std::string& manage_token) {
  const auto& cfg = app.config();
  if (length <= 0) throw errors::bad_request(i18n::tr("Upload-Length must be a positive number of bytes"));
  if (static_cast<std::uint64_t>(length) > max_size(cfg))
    throw errors::too_large(i18n::trf("Upload-Length {} is over the limit of {} bytes", length, max_size(cfg)));
  nlohmann::json j = nlohmann::json::object();
  for (const char* k : {"filename", "description", "visibility", "album", "expires_in"})
    if (auto v = meta(metadata, k)) {
      if (!text::is_valid_utf8(*v)) throw errors::bad_request(i18n::trf("metadata {} is not UTF-8", k));
      j[k] = std::move(*v);
    }
  // Checked now, so that a bad field or a refused album costs the client no bytes.
  destination_of(app, account, checked_fields(cfg, j), manage_token);

  Created out;
  out.key = naming::random_base32(kKeyChars);
  db::ResumableUploadsRepo repo(app.db());
  const auto row = repo.insert(key_hash(out.key), account ? std::optional<long long>(account->id) : std::nullopt,
                               length, j.dump(), cfg.resumable_upload_ttl);
  out.status = status_of(row);
  return out;
}

Status find(App& app, const UserRecord* account, std::string_view key) {
  db::ResumableUploadsRepo repo(app.db());
  return status_of(visible_row(repo, account, key));
}

void abandon(App& app, const UserRecord* account, std::string_view key) {
  db::ResumableUploadsRepo repo(app.db());
  const auto row = visible_row(repo, account, key);
  // The row first: a crash before the unlink leaves a file the sweep removes.
  if (!repo.remove(row.key_sha256)) throw errors::not_found(i18n::tr("no such upload"));
  remove_data_file(app.config().store_dir, row.key_sha256);
  app.log().success(i18n::msg("resumable upload {} abandoned at {} of {} bytes.", short_id(row.key_sha256),
                              row.received, row.length));
}

Appended append(App& app, const UserRecord* account, std::string_view key, long long offset,
                const std::optional<Checksum>& checksum, const BodyReader& read_body, const std::string& manage_token) {
  const auto& cfg = app.config();
  db::ResumableUploadsRepo repo(app.db());
  auto row = visible_row(repo, account, key);
  if (row.image_id || row.refusal_code) {
    // The end of a finished upload asked again (a client that lost the answer).
    if (offset == row.length) {
      const auto s = status_of(row);
      if (s.refusal) throw *s.refusal;
      read_body(0, [](std::string_view) {});
      return {row.length, s.image_id, std::nullopt};
    }
    throw errors::conflict(i18n::tr("this upload is complete"));
  }
  if (offset != row.received)
    throw errors::conflict(i18n::trf("Upload-Offset is {}, this upload has {} bytes", offset, row.received));

  const auto dir = data_dir(cfg.store_dir);
  std::error_code ec;
  fs::create_directories(dir, ec);
  if (ec) throw std::system_error(ec, "create " + dir.string());
  const auto path = data_file(cfg.store_dir, row.key_sha256);
  Fd fd(::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600));
  if (fd.get() < 0) fail("open upload " + short_id(row.key_sha256));
  if (::flock(fd.get(), LOCK_EX | LOCK_NB) != 0) {
    if (errno == EWOULDBLOCK) throw errors::conflict(i18n::tr("another request is sending to this upload"));
    fail("lock upload " + short_id(row.key_sha256));
  }
  // Under the lock: the append before this one may have moved the offset meanwhile.
  row = visible_row(repo, account, key);
  if (row.image_id || row.refusal_code || offset != row.received)
    throw errors::conflict(i18n::trf("Upload-Offset is {}, this upload has {} bytes", offset, row.received));
  // Bytes past the acknowledged offset were never answered (a killed worker's): gone.
  if (::ftruncate(fd.get(), offset) != 0) fail("truncate upload " + short_id(row.key_sha256));
  if (offset == 0) fsync_dir(dir);  // the file's name is durable before any offset is

  auto digest = checksum ? crypto::DigestStream::named(checksum->algorithm) : std::nullopt;
  long long written = 0;
  long long flushing = 0;  // written up to here is on its way to the disk
  const auto remaining = static_cast<std::uint64_t>(row.length - offset);
  try {
    read_body(remaining, [&](std::string_view piece) {
      for (std::string_view left = piece; !left.empty();) {
        const ssize_t n = ::pwrite(fd.get(), left.data(), left.size(), offset + written);
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) fail("write upload " + short_id(row.key_sha256));
        left.remove_prefix(static_cast<std::size_t>(n));
        written += n;
      }
      if (digest) digest->update(piece);
      // The disk writes each megabyte while the next arrives (asynchronously, as
      // PostgreSQL's flush_after does), so the fsync that acknowledges the piece waits
      // for little more than its last megabyte, not for all of it.
      if (written - flushing >= kFlushStep) {
        ::sync_file_range(fd.get(), offset + flushing, written - flushing, SYNC_FILE_RANGE_WRITE);
        flushing = written;
      }
    });
  } catch (const Error& e) {
    // The client went away mid-piece: what arrived is kept (synced, then acknowledged),
    // unless a checksum was to vouch for the whole piece.
    if (e.code() == ErrorCode::bad_request && !checksum && written > 0 && ::fsync(fd.get()) == 0)
      repo.advance(row.key_sha256, offset, offset + written);
    throw;
  }
  if (digest && digest->finish() != checksum->digest) {
    if (::ftruncate(fd.get(), offset) != 0) fail("truncate upload " + short_id(row.key_sha256));
    throw ChecksumMismatch(i18n::trf("the {} of this piece is not the Upload-Checksum sent", checksum->algorithm));
  }
  if (written > 0) {
    if (::fsync(fd.get()) != 0) fail("fsync upload " + short_id(row.key_sha256));
    if (!repo.advance(row.key_sha256, offset, offset + written)) throw errors::not_found(i18n::tr("no such upload"));
  }
  Appended out;
  out.offset = offset + written;
  if (out.offset == row.length) {
    row.received = out.offset;
    auto stored = store_complete(app, repo, row, account, fd.get(), manage_token);
    out.image_id = stored.record.id;
    out.delete_token = std::move(stored.delete_token);
  }
  return out;
}

std::size_t remove_expired(db::Connection& conn, const fs::path& store_dir, AppLog& log) {
  db::ResumableUploadsRepo repo(conn);
  std::size_t removed = 0;
  for (;;) {
    const auto doomed = repo.expired(100);
    for (const auto& k : doomed) {
      // The row first: a run killed before the unlink leaves a file without a row, which
      // the sweep below removes; never a row whose file is half gone.
      if (!repo.remove(k)) continue;  // another run took it
      remove_data_file(store_dir, k);
      ++removed;
      log.success(i18n::msg("resumable upload {} expired.", short_id(k)));
    }
    if (doomed.size() < 100) break;
  }
  const auto dir = data_dir(store_dir);
  std::error_code ec;
  for (fs::directory_iterator it(dir, ec); !ec && it != fs::directory_iterator(); it.increment(ec)) {
    const auto name = it->path().filename().string();
    const auto k = crypto::sha256_from_hex(name);
    std::error_code tec;
    const auto mtime = fs::last_write_time(it->path(), tec);
    if (!k || tec) continue;  // not ours, or gone meanwhile
    if (fs::file_time_type::clock::now() - mtime < kOrphanGrace) continue;
    if (repo.exists(*k)) continue;
    remove_data_file(store_dir, *k);
    log.success(i18n::msg("resumable upload {}: data file without its upload removed.", short_id(*k)));
  }
  return removed;
}

}  // namespace imghost::resumable
