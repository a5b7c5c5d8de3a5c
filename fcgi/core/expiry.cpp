#include "core/expiry.hpp"

#include <fmt/format.h>

#include <string>
#include <vector>

#include "core/removal.hpp"
#include "db/albums_repo.hpp"
#include "db/images_repo.hpp"

namespace imghost::expiry {
namespace {

constexpr int kBatch = 100;

// Counts what unlink_queued did.
void count_file(bool unlinked, Report& report) { ++(unlinked ? report.files : report.failed); }

// One image through removal::remove_image, logged with `verb`: "expired", "deleted".
// False when another run removed it first.
bool remove_image(db::Connection& conn, const store::Store& store, AppLog& log, const std::string& id,
                  const crypto::Sha256& sha, const std::string& name, const char* verb, Report& report) {
  const auto removed = removal::remove_image(conn, store, log, id, sha);
  if (!removed) return false;
  ++report.images;
  log.success(fmt::format("image {} {}.", name, verb));
  if (removed->file) count_file(!removed->file_left_queued, report);
  return true;
}

void remove_album_images(db::Connection& conn, const store::Store& store, AppLog& log, long long album_seq,
                         const char* verb, Report& report) {
  db::AlbumsRepo albums(conn);
  for (;;) {
    const auto members = albums.images_only_here(album_seq, kBatch);
    if (members.empty()) return;
    for (const auto& m : members) remove_image(conn, store, log, m.id, m.sha256, m.name, verb, report);
  }
}

// Anonymous albums that hold no image, created more than `ttl` seconds ago (an account's
// albums are its owner's to keep).  Nothing of them is
// in the store, so one transaction per batch does it: a run killed before COMMIT
// removed nothing, one killed after removed them all (only their log lines are lost).
void remove_empty_albums(db::Connection& conn, AppLog& log, unsigned ttl, Report& report) {
  db::AlbumsRepo albums(conn);
  for (;;) {
    std::vector<std::string> removed;
    std::size_t locked = 0;
    {
      db::Transaction tx(conn);
      const auto seqs = albums.lock_empty(ttl, kBatch);
      locked = seqs.size();
      if (!seqs.empty()) removed = albums.delete_if_empty(seqs);
      tx.commit();
    }
    for (const auto& id : removed) {
      ++report.empty_albums;
      log.success(fmt::format("album {} removed: empty for more than {} seconds.", id, ttl));
    }
    // Fewer than a batch: none left (or the rest is locked, for the next run).  None
    // removed: every one got an image meanwhile.
    if (locked < static_cast<std::size_t>(kBatch) || removed.empty()) break;
  }
}

}  // namespace

Report remove_album(db::Connection& conn, const store::Store& store, AppLog& log, long long album_seq,
                    const std::string& album_line) {
  Report report;
  db::AlbumsRepo albums(conn);
  if (!albums.mark_deleting(album_seq)) return report;
  remove_album_images(conn, store, log, album_seq, "deleted", report);
  if (albums.delete_album(album_seq)) {
    ++report.albums;
    log.success(album_line);
  }
  return report;
}

Report run_once(db::Connection& conn, const store::Store& store, AppLog& log, unsigned empty_album_ttl) {
  Report report;
  db::ImagesRepo repo(conn);
  // What a run killed after its COMMIT left queued.
  for (const auto& name : repo.queued_removals()) count_file(removal::unlink_queued(repo, store, log, name), report);
  for (;;) {
    const auto doomed = repo.expired_images(kBatch);
    std::size_t removed = 0;
    for (const auto& d : doomed)
      if (remove_image(conn, store, log, d.id, d.sha256, d.name, "expired", report)) ++removed;
    // A batch that removed nothing was taken by another run meanwhile: stop, it goes on.
    if (doomed.size() < static_cast<std::size_t>(kBatch) || removed == 0) break;
  }
  db::AlbumsRepo albums(conn);
  for (;;) {
    const auto doomed = albums.albums_to_remove(kBatch);
    for (const auto& d : doomed) {
      // An album whose DELETE a dead worker left half done is finished as a deletion.
      const char* verb = d.deleted ? "deleted" : "expired";
      if (!albums.mark_deleting(d.seq)) continue;
      remove_album_images(conn, store, log, d.seq, verb, report);
      if (albums.delete_album(d.seq)) {
        ++report.albums;
        log.success(fmt::format("album {} {}.", d.id, verb));
      }
    }
    if (doomed.size() < static_cast<std::size_t>(kBatch)) break;
  }
  if (empty_album_ttl > 0) remove_empty_albums(conn, log, empty_album_ttl, report);
  return report;
}

}  // namespace imghost::expiry
