#include "admin/fsck.hpp"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <ctime>
#include <filesystem>
#include <system_error>
#include <unordered_set>
#include <vector>

#include "db/images_repo.hpp"
#include "image/inspect.hpp"
#include "store/local_store.hpp"
#include "core/naming.hpp"

namespace imghost::admin {
namespace fs = std::filesystem;
namespace {

// "One repair check at a time" (migrate uses 7467726).
constexpr const char* kFsckLockKey = "7467727";

class RunLock {
 public:
  explicit RunLock(db::Connection& c) : c_(c) { c_.run("fsck_lock", "SELECT pg_advisory_lock($1)", {kFsckLockKey}); }
  ~RunLock() {
    try {
      c_.run("fsck_unlock", "SELECT pg_advisory_unlock($1)", {kFsckLockKey});
    } catch (...) {
    }
  }
  RunLock(const RunLock&) = delete;
  RunLock& operator=(const RunLock&) = delete;

 private:
  db::Connection& c_;
};

struct BlobRow {
  crypto::Sha256 sha;
  std::string name;
};

// What is on disk, from one walk of the store.
struct Inventory {
  std::vector<std::string> staged;               // file names in .tmp/
  std::unordered_set<std::string> originals;     // stored names
  std::unordered_set<std::string> thumbs;        // stored names that have a thumbnail
  std::vector<std::string> foreign;              // relative paths of anything else
};

[[noreturn]] void fail(int err, const std::string& what) {
  throw std::system_error(err, std::generic_category(), what);
}

// The file's mtime, or nullopt when it is gone (removed while we looked).
std::optional<std::time_t> mtime_of(const fs::path& p) {
  struct stat st {};
  if (::lstat(p.c_str(), &st) == 0) return st.st_mtime;
  if (errno == ENOENT) return std::nullopt;
  fail(errno, "stat " + p.string());
}

// The whole file, or nullopt when it is gone.
std::optional<std::string> read_file(const fs::path& p) {
  const int fd = ::open(p.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
  if (fd < 0) {
    if (errno == ENOENT) return std::nullopt;
    fail(errno, "open " + p.string());
  }
  std::string out;
  char buf[1 << 16];
  for (;;) {
    const ssize_t n = ::read(fd, buf, sizeof buf);
    if (n < 0) {
      if (errno == EINTR) continue;
      const int err = errno;
      ::close(fd);
      fail(err, "read " + p.string());
    }
    if (n == 0) break;
    out.append(buf, static_cast<std::size_t>(n));
  }
  ::close(fd);
  return out;
}

// Unlinks and makes the removal durable; a file already gone is not an error.
void remove_file(const fs::path& p) {
  if (::unlink(p.c_str()) != 0) {
    if (errno == ENOENT) return;
    fail(errno, "unlink " + p.string());
  }
  const int dfd = ::open(p.parent_path().c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (dfd < 0) fail(errno, "open " + p.parent_path().string());
  const int rc = ::fsync(dfd);
  const int err = errno;
  ::close(dfd);
  if (rc != 0) fail(err, "fsync " + p.parent_path().string());
}

void walk(const fs::path& root, const std::string& rel, Inventory& inv) {
  const fs::path dir = rel.empty() ? root : root / rel;
  std::error_code ec;
  fs::directory_iterator it(dir, ec);
  if (ec) {
    if (ec == std::errc::no_such_file_or_directory) return;  // removed while we walked
    throw std::system_error(ec, "read " + dir.string());
  }
  for (; !ec && it != fs::directory_iterator(); it.increment(ec)) {
    const std::string leaf = it->path().filename().string();
    const std::string child = rel.empty() ? leaf : rel + "/" + leaf;
    std::error_code sec;
    const auto st = it->symlink_status(sec);
    if (sec) continue;  // gone between readdir and lstat
    if (fs::is_directory(st)) {
      walk(root, child, inv);
      continue;
    }
    StoreEntry e = classify(child);
    if (!fs::is_regular_file(st)) e.kind = EntryKind::foreign;  // symlinks, sockets: never ours
    switch (e.kind) {
      case EntryKind::original: inv.originals.insert(std::move(e.name)); break;
      case EntryKind::thumbnail: inv.thumbs.insert(std::move(e.name)); break;
      case EntryKind::staged: inv.staged.push_back(std::move(e.name)); break;
      case EntryKind::foreign: inv.foreign.push_back(child); break;
    }
  }
  if (ec && ec != std::errc::no_such_file_or_directory) throw std::system_error(ec, "read " + dir.string());
}

std::vector<BlobRow> load_blobs(db::Connection& conn) {
  auto r = conn.run("fsck_blobs", "SELECT encode(sha256, 'hex'), name FROM blobs ORDER BY name", {});
  std::vector<BlobRow> rows;
  rows.reserve(static_cast<std::size_t>(r.rows()));
  for (int i = 0; i < r.rows(); ++i) {
    auto sha = parse_sha256_hex(r.get(i, 0));
    if (!sha) throw db::DbError("blobs row with a malformed sha256", "XX000");
    rows.push_back({*sha, std::string(r.get(i, 1))});
  }
  return rows;
}

std::vector<std::string> sorted(const std::unordered_set<std::string>& s) {
  std::vector<std::string> v(s.begin(), s.end());
  std::sort(v.begin(), v.end());
  return v;
}

// Prints findings and counts them.
class Reporter {
 public:
  Reporter(std::FILE* out, FsckResult& r) : out_(out), r_(r) {}
  // A problem seen and left as it is (no --fix).
  void found(const std::string& what) {
    ++r_.problems;
    std::fprintf(out_, "%s\n", what.c_str());
  }
  void fixed(const std::string& what, const std::string& action) {
    ++r_.problems;
    ++r_.fixed;
    std::fprintf(out_, "%s: %s\n", what.c_str(), action.c_str());
  }
  void not_fixed(const std::string& what, const std::string& why) {
    ++r_.problems;
    std::fprintf(out_, "%s: NOT fixed: %s\n", what.c_str(), why.c_str());
  }
  void note(const std::string& what) { std::fprintf(out_, "%s\n", what.c_str()); }

 private:
  std::FILE* out_;
  FsckResult& r_;
};

}  // namespace

StoreEntry classify(std::string_view rel) {
  std::vector<std::string_view> parts;
  for (std::size_t start = 0;;) {
    const auto slash = rel.find('/', start);
    parts.push_back(rel.substr(start, slash == std::string_view::npos ? std::string_view::npos : slash - start));
    if (slash == std::string_view::npos) break;
    start = slash + 1;
  }
  const std::string_view leaf = parts.back();
  if (parts.size() == 2 && parts[0] == ".tmp" && !leaf.empty()) return {EntryKind::staged, std::string(leaf)};
  // Only a generated name at exactly its shard path is ours: "ab/cd/abcd....jpg".
  if (naming::is_file_name(leaf)) {
    const std::string shard = naming::shard_path(leaf);
    if (rel == shard) return {EntryKind::original, std::string(leaf)};
    if (rel == "thumbs/" + shard) return {EntryKind::thumbnail, std::string(leaf)};
  }
  return {EntryKind::foreign, std::string(leaf)};
}

bool looks_unmounted(std::size_t missing, std::size_t total) {
  // One or two lost files are plausible on their own; most of the store at once is not.
  return missing >= 3 && missing * 2 > total;
}

std::string summary(const FsckResult& r) {
  std::string s = fmt::format("repair check found {} problem{}, fixed {}", r.problems, r.problems == 1 ? "" : "s", r.fixed);
  if (r.remaining() > 0) s += fmt::format("; {} remain{}", r.remaining(), r.remaining() == 1 ? "s" : "");
  s += '.';
  return s;
}

std::optional<crypto::Sha256> parse_sha256_hex(std::string_view hex) {
  crypto::Sha256 d{};
  if (hex.size() != d.size() * 2) return std::nullopt;
  auto nibble = [](char c) -> int {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    if (c >= 'A' && c <= 'F') return c - 'A' + 10;
    return -1;
  };
  for (std::size_t i = 0; i < d.size(); ++i) {
    const int hi = nibble(hex[2 * i]), lo = nibble(hex[2 * i + 1]);
    if (hi < 0 || lo < 0) return std::nullopt;
    d[i] = static_cast<unsigned char>(hi * 16 + lo);
  }
  return d;
}

FsckResult fsck(const Config& config, db::Connection& conn, AppLog& log, const FsckOptions& opt,
                std::FILE* out) {
  FsckResult r;
  Reporter rep(out, r);
  RunLock run_lock(conn);
  db::ImagesRepo repo(conn);

  // Rows first, then the walk: a row committed after this load has its file on disk
  // before the walk starts (file first, then row), and anything that changes while we
  // look is checked again under its lock before it is called a problem.
  const std::vector<BlobRow> rows = load_blobs(conn);
  std::unordered_set<std::string> row_names;
  for (const auto& row : rows) row_names.insert(row.name);

  std::error_code ec;
  if (!fs::is_directory(config.store_dir, ec)) {
    if (rows.empty()) {
      rep.note(fmt::format("the store folder {} does not exist yet: nothing to check", config.store_dir.string()));
      log.success(summary(r));
      return r;
    }
    throw std::runtime_error(fmt::format("the store folder {} does not exist (not mounted?) but {} blob rows do",
                                         config.store_dir.string(), rows.size()));
  }
  const store::FileStore store(config.store_dir);
  Inventory inv;
  walk(store.root(), "", inv);

  const std::time_t now = std::time(nullptr);
  auto young = [&](std::time_t mtime) { return now - mtime < opt.grace.count(); };
  // Runs one repair; a failure of the disk becomes an unfixed finding, the database
  // going away ends the whole check.
  auto attempt = [&](const std::string& what, auto&& repair) {
    try {
      rep.fixed(what, repair());
    } catch (const db::DbError&) {
      throw;
    } catch (const std::exception& e) {
      rep.not_fixed(what, e.what());
    }
  };

  // (e) Staged files: a killed worker's upload, never placed.
  std::sort(inv.staged.begin(), inv.staged.end());
  for (const auto& f : inv.staged) {
    const fs::path p = store.tmp_dir() / f;
    const auto m = mtime_of(p);
    if (!m) continue;
    if (young(*m)) { ++r.young; continue; }
    const std::string what = "staged file left behind: .tmp/" + f;
    if (!opt.fix) { rep.found(what); continue; }
    attempt(what, [&] { remove_file(p); return std::string("removed"); });
  }

  // (b) Originals without a blob row.
  for (const auto& name : sorted(inv.originals)) {
    if (row_names.count(name)) continue;
    const fs::path p = store.image_path(name);
    const auto m = mtime_of(p);
    if (!m) continue;
    if (young(*m)) { ++r.young; continue; }
    const auto bytes = read_file(p);
    if (!bytes) continue;
    // Under the content lock an upload of these bytes is either committed (its row is
    // visible now) or has not placed its file yet; a delete has unlinked its file.
    db::ContentSessionLock lock(repo, crypto::sha256(*bytes));
    if (repo.blob_exists(name) || !mtime_of(p)) continue;
    const std::string what = "file without a row: " + naming::shard_path(name);
    if (!opt.fix) { rep.found(what); continue; }
    attempt(what, [&] { remove_file(p); return std::string("removed"); });
  }

  // (a) Rows without a file: confirmed under the lock, then (with --fix) deleted.
  std::vector<const BlobRow*> missing;
  for (const auto& row : rows) {
    if (inv.originals.count(row.name)) continue;
    const fs::path p = store.image_path(row.name);
    if (mtime_of(p)) continue;
    db::ContentSessionLock lock(repo, row.sha);
    const auto current = repo.blob_name(row.sha);
    if (!current || *current != row.name || mtime_of(p)) continue;  // deleted meanwhile
    missing.push_back(&row);
  }
  const bool refuse = looks_unmounted(missing.size(), rows.size()) && !opt.force;
  std::unordered_set<std::string> rows_deleted;
  for (const BlobRow* row : missing) {
    const std::string what = fmt::format("row without a file: blob {} (sha256 {}) has no {}", row->name,
                                         crypto::hex(row->sha), naming::shard_path(row->name));
    if (!opt.fix) { rep.found(what); continue; }
    if (refuse) {
      rep.not_fixed(what, fmt::format("{} of {} blob files are missing: is the store at {} mounted? "
                                      "(--force deletes the rows)",
                                      missing.size(), rows.size(), store.root().string()));
      continue;
    }
    db::ContentSessionLock lock(repo, row->sha);
    const auto current = repo.blob_name(row->sha);
    if (!current || *current != row->name || mtime_of(store.image_path(row->name))) continue;
    std::vector<std::string> ids;
    {
      db::Transaction tx(conn);
      auto deleted = conn.run("fsck_delete_images", "DELETE FROM images WHERE sha256 = $1 RETURNING id",
                              {db::bytea_param(row->sha)});
      for (int i = 0; i < deleted.rows(); ++i) ids.emplace_back(deleted.get(i, 0));
      conn.run("fsck_delete_blob", "DELETE FROM blobs WHERE sha256 = $1 AND name = $2",
               {db::bytea_param(row->sha), row->name});
      tx.commit();
    }
    rows_deleted.insert(row->name);
    std::string thumb_note;
    try {
      store.remove(row->name);  // its thumbnail; the original is already gone
    } catch (const std::exception& e) {
      thumb_note = fmt::format(" (its thumbnail stays for the next check: {})", e.what());
    }
    std::string id_list;
    for (const auto& id : ids) id_list += (id_list.empty() ? "" : ", ") + id;
    log.error(fmt::format("image file {} was missing from the store: the repair check deleted its blob row and "
                          "{} image row{} ({}); the bytes are lost.",
                          row->name, ids.size(), ids.size() == 1 ? "" : "s", id_list.empty() ? "none" : id_list));
    rep.fixed(what, fmt::format("deleted the blob row and {} image row{} ({}){}", ids.size(),
                                ids.size() == 1 ? "" : "s", id_list.empty() ? "none" : id_list, thumb_note));
  }

  // (c) Thumbnails without a blob row.  Names are never reused, so no lock is needed:
  // a row named so either exists now or never will again.
  for (const auto& name : sorted(inv.thumbs)) {
    if (row_names.count(name) && !rows_deleted.count(name)) continue;
    const fs::path p = store.thumb_path(name);
    const auto m = mtime_of(p);
    if (!m) continue;
    if (young(*m) && !rows_deleted.count(name)) { ++r.young; continue; }
    if (repo.blob_exists(name)) continue;
    const std::string what = "thumbnail without a row: thumbs/" + naming::shard_path(name);
    if (!opt.fix) { rep.found(what); continue; }
    attempt(what, [&] { remove_file(p); return std::string("removed"); });
  }

  // (d) Missing thumbnails of blobs whose original is there.
  bool magick_ready = false;
  for (const auto& row : rows) {
    if (!inv.originals.count(row.name) || inv.thumbs.count(row.name)) continue;
    const fs::path img = store.image_path(row.name), thumb = store.thumb_path(row.name);
    const auto m = mtime_of(img);
    if (!m) continue;
    if (young(*m)) { ++r.young; continue; }  // the worker writes it right after answering
    if (mtime_of(thumb)) continue;
    const std::string what = "missing thumbnail: thumbs/" + naming::shard_path(row.name);
    if (!opt.fix) { rep.found(what); continue; }
    // Under the lock a delete cannot remove the original while we make the thumbnail,
    // which would leave the new thumbnail behind.
    db::ContentSessionLock lock(repo, row.sha);
    const auto current = repo.blob_name(row.sha);
    if (!current || *current != row.name || mtime_of(thumb)) continue;
    attempt(what, [&] {
      const auto bytes = read_file(img);
      if (!bytes) throw std::runtime_error("the original is gone");
      if (!magick_ready) {
        image::configure_magick(config.image);
        magick_ready = true;
      }
      store.write_thumbnail(row.name, image::thumbnail_from_bytes(*bytes, config.image));
      return std::string("made again");
    });
  }

  std::sort(inv.foreign.begin(), inv.foreign.end());
  for (const auto& f : inv.foreign) {
    ++r.ignored;
    rep.note("ignored: " + f + " (not a file imghost makes; left alone)");
  }

  std::string line = summary(r);
  if (r.young > 0)
    line += fmt::format(" {} file{} younger than {} s not checked.", r.young, r.young == 1 ? "" : "s", opt.grace.count());
  rep.note(line);
  if (r.remaining() == 0) log.success(summary(r));
  else log.error(summary(r));
  return r;
}

}  // namespace imghost::admin
