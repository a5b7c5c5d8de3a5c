#include "core/removal.hpp"

#include <fmt/format.h>

#include "db/locks.hpp"

namespace imghost::removal {

bool unlink_queued(db::ImagesRepo& repo, const store::Store& store, AppLog& log, const std::string& name) {
  try {
    store::remove_both(store, name);
  } catch (const std::exception& e) {
    log.error(fmt::format("file {} stays queued for removal: {}", name, e.what()));
    return false;
  }
  repo.dequeue_removal(name);
  return true;
}

std::optional<Removed> remove_image(db::Connection& conn, const store::Store& store, AppLog& log, const std::string& id,
                                    const crypto::Sha256& sha256) {
  db::ImagesRepo repo(conn);
  db::SessionLock lock(conn, sha256);
  Removed removed;
  {
    db::Transaction tx(conn);
    const auto name = repo.delete_image(id);
    if (!name) return std::nullopt;
    repo.release_content(sha256, *name);
    if (!repo.image_named(*name)) {
      removed.file = name;
      repo.queue_removal(*name);
    }
    tx.commit();
  }
  // Still under the content lock: an upload of these bytes links from the file the blob
  // names now, never from this one.
  if (removed.file) removed.file_left_queued = !unlink_queued(repo, store, log, *removed.file);
  return removed;
}

}  // namespace imghost::removal
