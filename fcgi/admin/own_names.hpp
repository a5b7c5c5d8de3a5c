// Every image its own file name (sql/008_own_names.sql), for rows written before it.
//
// Until sql/008, uploads of identical bytes shared one file name, so a delete left the
// link answering while another upload of the bytes existed.  `imghost-admin migrate`
// runs this after the SQL migrations: every image that shares its name with an older
// image gets a new name, and a file under it that shares the bytes (Store::share: a hard
// link on a local disk, a copy of its own in a bucket); the oldest image keeps the name.
//
// One image at a time, under the content lock that uploads and deletes take
// (db/locks.hpp): the new file (and a copy of the thumbnail, if there is one) is made
// durable first, then the row is renamed, if it still has the old name.  A kill between
// the two leaves a file no row names, which the repair check removes; running again
// carries on where it stopped, and a run with nothing to do changes nothing.  An image
// deleted meanwhile is left to its delete; a shared name whose last image was deleted
// while this run renamed the others has its files removed through the `removals` queue
// (core/image_removal.hpp).  Safe while the workers serve.
#pragma once

#include <cstddef>
#include <cstdio>

#include "db/pg.hpp"
#include "domain/log.hpp"
#include "store/store.hpp"

namespace imghost::admin {

struct OwnNamesResult {
  std::size_t renamed = 0;  // images given a name of their own
  std::size_t missing = 0;  // shared names whose file is gone: left for the repair check
};

// Throws db::DbError or std::system_error (the store): what was done stays done, and
// running again resumes.  Progress and findings go to `out`, a summary to `log` when
// there was anything to do.
OwnNamesResult give_own_names(const store::Store& store, db::Connection& conn, AppLog& log, std::FILE* out);

}  // namespace imghost::admin
