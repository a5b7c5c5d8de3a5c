// Removing one image: who may (its delete token, its owner, an admin), and the removal
// itself, rows then files, that DELETE of an image, DELETE of an album
// (core/album_removal.hpp) and the cleanup (core/cleanup.hpp) share.
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
#include "core/app.hpp"
#include "core/removal_report.hpp"
#include "domain/image_record.hpp"
#include "domain/log.hpp"
#include "domain/user_record.hpp"
#include "store/store.hpp"

namespace imghost {

namespace db {
class ImagesRepo;  // db/images_repo.hpp
}

namespace image_removal {

// Who may delete (and edit) an image: whoever holds its delete token, its owner, and
// an admin.  `token` empty: no delete token given; `account` nullptr: anonymous.
struct Authority {
  std::string token;
  const UserRecord* account = nullptr;
};

struct Deleted {
  ImageRecord record;  // the image as it was; its links answer 404 from now on
};

// Deletes an image by id, for the API and the browser's delete page.  Throws Error 404
// (no such image) or 403 (a wrong delete token, none and not the owner or an admin).
// Logs the deletion.  A store failure leaves the file queued for the cleanup (logged);
// the delete succeeded.
Deleted delete_image(App& app, const std::string& id, const Authority& who);

// 404 unless an image with this id exists, 403 unless `who` may delete it; returns it.
ImageRecord check_authority(App& app, const std::string& id, const Authority& who);

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

// remove_image, then "image <name> deleted." or "expired." logged (by `cause`) and
// counted in `report`.  False when another run removed it first.
bool remove_image_logged(db::Connection& conn, const store::Store& store, AppLog& log, const std::string& id,
                         const crypto::Sha256& sha256, const std::string& name, RemovalCause cause,
                         RemovalReport& report);

// Removes a queued name's files, then dequeues it.  false (logged) when the store
// failed: the name stays queued.  Removing files that are already gone is not a failure.
bool unlink_queued(db::ImagesRepo& repo, const store::Store& store, AppLog& log, const std::string& name);

// Counts what unlink_queued did in `report`: a file removed, or one left queued.
void count_file(bool unlinked, RemovalReport& report);

}  // namespace image_removal
}  // namespace imghost
