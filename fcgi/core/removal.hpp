// Removing one image and its file: the one removal that DELETE of an image, DELETE of an
// album and the expiry cleanup share.
//
// Every image has a file name of its own (sql/008), so its links answer 404 as soon as
// its files are removed, whatever other uploads of the same bytes exist: those have
// names (links to the same bytes) of their own.
//
// Order (the reverse of an upload's): rows first, then the file.  Under the session-level
// content lock, so an upload of the same bytes cannot link from this file between the
// row's delete and the unlink, one transaction deletes the image row, releases the blob
// (deleted with its last image, or made to name another image's file), and puts the
// image's file name into the `removals` queue.  After COMMIT the original and the
// thumbnail are removed through the Store interface (local disk or S3), then the name
// leaves the queue.  A name that rows written before sql/008 still share is removed only
// with the last of them.
//
// A crash or a store failure after COMMIT leaves the name queued: the next
// `imghost-admin expire` removes its files (unlink_queued), and the repair check notes it
// as queued rather than as a file without a row.  Nothing is ever orphaned.
#pragma once

#include <optional>
#include <string>

#include "base/crypto.hpp"
#include "db/images_repo.hpp"
#include "db/pg.hpp"
#include "domain/log.hpp"
#include "store/store.hpp"

namespace imghost::removal {

struct Removed {
  // The image's file name, whose files were to go (nullopt only while another image
  // written before sql/008 still has the same name).
  std::optional<std::string> file;
  // The store failed to remove `file`: it stays queued for the next cleanup (logged).
  bool file_left_queued = false;
};

// Removes the image `id` whose content is `sha256` as above.  nullopt when the image was
// already gone (another delete or cleanup won).  Throws db::DbError when the database
// goes away; a store failure is not thrown but reported in Removed and logged.
std::optional<Removed> remove_image(db::Connection& conn, const store::Store& store, AppLog& log, const std::string& id,
                                    const crypto::Sha256& sha256);

// Removes a queued name's files, then dequeues it.  false (logged) when the store
// failed: the name stays queued.  Removing files that are already gone is not a failure.
bool unlink_queued(db::ImagesRepo& repo, const store::Store& store, AppLog& log, const std::string& name);

}  // namespace imghost::removal
