#include "core/cleanup.hpp"

#include <fmt/format.h>

#include <string>
#include <vector>

#include "core/album_removal.hpp"
#include "core/image_removal.hpp"
#include "db/albums_repo.hpp"
#include "db/images_repo.hpp"

namespace imghost::cleanup {
namespace {

constexpr int kBatch = 100;

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
      log.success(i18n::msg("album {} removed: empty for more than {} seconds.", id, ttl));
    }
    // Fewer than a batch: none left (or the rest is locked, for the next run).  None
    // removed: every one got an image meanwhile.
    if (locked < static_cast<std::size_t>(kBatch) || removed.empty()) break;
  }
}

}  // namespace

Report run_once(db::Connection& conn, const store::Store& store, AppLog& log, unsigned empty_album_ttl) {
  Report report;
  db::ImagesRepo repo(conn);
  // What a run killed after its COMMIT left queued.
  for (const auto& name : repo.queued_removals())
    image_removal::count_file(image_removal::unlink_queued(repo, store, log, name), report);
  for (;;) {
    const auto doomed = repo.expired_images(kBatch);
    std::size_t removed = 0;
    for (const auto& d : doomed)
      if (image_removal::remove_image_logged(conn, store, log, d.id, d.sha256, d.name, RemovalCause::expired, report))
        ++removed;
    // A batch that removed nothing was taken by another run meanwhile: stop, it goes on.
    if (doomed.size() < static_cast<std::size_t>(kBatch) || removed == 0) break;
  }
  db::AlbumsRepo albums(conn);
  for (;;) {
    const auto doomed = albums.albums_to_remove(kBatch);
    for (const auto& d : doomed) {
      // An album whose DELETE a dead worker left half done is finished as a deletion.
      if (d.deleted)
        album_removal::tear_down(conn, store, log, d.seq, RemovalCause::deleted, i18n::msg("album {} deleted.", d.id),
                                 report);
      else
        album_removal::tear_down(conn, store, log, d.seq, RemovalCause::expired, i18n::msg("album {} expired.", d.id),
                                 report);
    }
    if (doomed.size() < static_cast<std::size_t>(kBatch)) break;
  }
  if (empty_album_ttl > 0) remove_empty_albums(conn, log, empty_album_ttl, report);
  return report;
}

}  // namespace imghost::cleanup
