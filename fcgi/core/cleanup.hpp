// The cleanup (`imghost-admin expire`): removing what has expired, finishing what a
// killed run or a dead worker left, and the anonymous albums left empty
// (docs/albums-expiry-design.md).
//
// Each image goes through core/image_removal.hpp (rows, then the file, through the
// `removals` queue, under the content lock), each album through core/album_removal.hpp,
// so a run killed at any point leaves rows still to remove or names still queued, which
// the next run finishes: nothing is left for the repair check.  Files shared by
// deduplication stay while any image refers to their blob.
//
// Several runs at once (two machines, cron and the stack) are safe: each image and album
// is removed once, the other run finds it gone.  Throws db::DbError when the database
// goes away; a store failure leaves the name queued (logged) and the run goes on.
#pragma once

#include "core/app.hpp"
#include "core/removal_report.hpp"
#include "domain/log.hpp"
#include "store/store.hpp"

namespace imghost::cleanup {

using Report = RemovalReport;

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

}  // namespace imghost::cleanup
