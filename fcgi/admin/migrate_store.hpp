// `imghost-admin migrate-store --to s3|local`: moves every original and thumbnail from
// one store to the other while the workers serve.
//
// Before it runs, the configuration names the target (`store = s3` or `store = local`)
// and the workers and nginx have been reloaded with it: new uploads then go to the
// target, and reads and deletes look in both stores (store/open_store.hpp, the nginx
// site), so every file stays reachable whichever side it is on during the move.
//
// Each name is moved under the advisory lock of its content (db/locks.hpp), the lock
// uploads and deletes take: an image row is checked to still name it, the original's
// bytes are checked against the row's SHA-256, written durably to the target (unless
// a copy with the same bytes is there already), then removed from the source; its thumbnail likewise.  So a kill at
// any point leaves every file in the source, the target or both, a later run carries
// on where this one stopped, and a run with nothing left to move does nothing.  Files
// that no row names are left where they are for the repair check (`fsck`).
#pragma once

#include <cstddef>
#include <cstdio>

#include "db/pg.hpp"
#include "domain/log.hpp"
#include "store/store.hpp"

namespace imghost::admin {

struct MigrateStoreResult {
  std::size_t originals = 0;    // moved
  std::size_t thumbnails = 0;   // moved
  std::size_t without_row = 0;  // left in the source for the repair check
  std::size_t refused = 0;      // bytes that do not match their row: left in the source
};

// Moves everything from `source` to `target`; progress and findings go to `out`, one
// summary line to `log`.  Throws db::DbError or std::system_error (a store unreachable):
// what was moved so far stays moved, and running again resumes.
MigrateStoreResult migrate_store(const store::Store& source, const store::Store& target, db::Connection& conn,
                                 AppLog& log, std::FILE* out);

}  // namespace imghost::admin
