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
    if (!repo.delete_image(id)) return std::nullopt;
    removed.file = repo.delete_blob_if_unreferenced(sha256);
    if (removed.file) repo.queue_removal(*removed.file);
    tx.commit();
  }
  // Still under the content lock: an upload of these bytes waits until the files are gone.
  if (removed.file) removed.file_left_queued = !unlink_queued(repo, store, log, *removed.file);
  return removed;
}

}  // namespace imghost::removal
