// Removing what has expired, and tearing albums down: the one removal flow of the
// cleanup (`imghost-admin expire`) and of DELETE of an album (docs/albums-expiry-design.md).
//
// Each image goes through core/removal.hpp (rows, then the file, through the `removals`
// queue, under the content lock), so a run killed at any point leaves rows still to
// remove or names still queued, which the next run finishes: nothing is left for the
// repair check.  Files shared by deduplication stay while any image refers to their blob.
//
// Several runs at once (two machines, cron and the stack) are safe: each image and album
// is removed once, the other run finds it gone.  Throws db::DbError when the database
// goes away; a store failure leaves the name queued (logged) and the run goes on.
#pragma once

#include <cstddef>
#include <string>

#include "db/pg.hpp"
#include "domain/log.hpp"
#include "store/store.hpp"

namespace imghost::expiry {

struct Report {
  std::size_t images = 0;        // image rows removed
  std::size_t albums = 0;        // album rows removed
  std::size_t files = 0;         // files (original and thumbnail of a name) removed from the store
  std::size_t failed = 0;        // names left queued because the store failed
  std::size_t empty_albums = 0;  // albums removed for staying empty (not in `albums`)
};

// One whole cleanup: the queued removals first, then every expired image (one log line
// each: "image <name> expired."), then every album that is expired or being deleted,
// with the images that are in no other album ("album <id> expired.").  An album being
// deleted that has not expired is one whose DELETE did not finish: its lines say
// "deleted" ("image <name> deleted.", "album <id> deleted.").  Last, unless
// `empty_album_ttl` is 0, the albums that hold no image and were created more than that
// many seconds ago ("album <id> removed: empty for more than <ttl> seconds."): each is
// deleted under its row lock, after re-checking that it is empty, in one transaction,
// and one an upload holds is left to the next run.  Empty counts from the album's
// creation: one whose images were all deleted or expired goes at the next run if it is
// older than the TTL.
Report run_once(db::Connection& conn, const store::Store& store, AppLog& log, unsigned empty_album_ttl = 0);

// Tears one album down now (DELETE of an album): marks it deleting (after the uploads
// into it that hold its row), removes its images that are in no other album, then its
// row.  Logs "image <name> deleted." per image and `album_line` for the album.
Report remove_album(db::Connection& conn, const store::Store& store, AppLog& log, long long album_seq,
                    const std::string& album_line);

}  // namespace imghost::expiry
