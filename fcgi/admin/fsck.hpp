// The repair check (`imghost-admin fsck`): brings the store and the database back to the
// invariant the upload and delete paths keep (ingest.hpp, deletion.hpp) after crashes,
// killed workers, lost disks and restores.
//
// Findings, one line each on `out`:
//   staged file left behind   a staged upload older than the grace period (a killed worker's)
//   file without a row        an original no image row names, older than the grace period
//                             (a crash between placing and COMMIT, or after a delete's COMMIT)
//   row without a file        an image row whose original is gone: the bytes are lost
//   thumbnail without a row   a thumbnail no image row names, older than the grace period
//   missing thumbnail         an image file older than the grace period whose thumbnail is absent
// Not a finding: a file or thumbnail whose name is queued in `removals` (core/image_removal.hpp:
// its rows are gone and a cleanup or an album's delete was cut short before the unlink)
// is noted as "queued for removal" and left to `imghost-admin expire`, which owns the
// queue.
// With `fix`: files, thumbnails and staged files without a row are removed, missing
// thumbnails are made again from the original, and a row without a file is deleted
// (logged as an Error in app.log, one line per file name; other uploads of the same
// bytes have names of their own and are judged on their own).
//
// Safe while workers serve.  A file is only called an orphan after taking the advisory
// lock the workers take for its content (db/locks.hpp, keyed by the SHA-256 of its bytes) and
// seeing, under that lock, that no image row names it: an upload of the same bytes holds
// that lock from the rename until its COMMIT, a delete from its COMMIT until the unlink.
// Rows are re-checked under their lock the same way.  The grace period keeps fresh
// files (in-flight uploads, thumbnails being written) out of the report altogether.
//
// If more than half of the image files are missing (and more than a handful), the store is
// more likely unmounted or misconfigured than lost: rows are then reported but not
// deleted unless `force` is set.  Only one repair check runs at a time (a second waits).
#pragma once

#include <chrono>
#include <cstddef>
#include <cstdio>
#include <string>

#include "db/pg.hpp"
#include "domain/log.hpp"
#include "domain/video_limits.hpp"
#include "image/inspect.hpp"
#include "store/store.hpp"

namespace imghost::admin {

struct FsckOptions {
  bool fix = false;
  std::chrono::seconds grace{600};  // files younger than this are left alone
  bool force = false;               // delete rows even when the store looks unmounted
  image::VideoLimits video;         // a video's missing poster is made again under these
};

struct FsckResult {
  std::size_t problems = 0;
  std::size_t fixed = 0;
  std::size_t young = 0;    // files left alone because they are younger than the grace period
  std::size_t ignored = 0;  // files in the store that imghost does not make (not touched)
  std::size_t remaining() const { return problems - fixed; }
};

// True when `missing` of `total` image files being absent looks like a store that is not
// there (unmounted disk, wrong store_dir) rather than files lost one by one.
bool looks_unmounted(std::size_t missing, std::size_t total);

// "repair check found N problems, fixed M." (plus "; K remain" when some are left), for
// the log in its language and for the operator in English.
i18n::Message summary(const FsckResult& r);

// Runs the check on `store` and the database behind `conn`; writes findings to `out` and
// the summary line to `log`.  Missing thumbnails are made under `limits` (ImageMagick is
// configured on first use).  Throws db::DbError (database unavailable) or
// std::system_error (store unreadable) when it cannot check at all; a problem it cannot
// fix is a finding, not an exception.
FsckResult fsck(const store::Store& store, db::Connection& conn, AppLog& log, const image::Limits& limits,
                const FsckOptions& options, std::FILE* out);

}  // namespace imghost::admin
