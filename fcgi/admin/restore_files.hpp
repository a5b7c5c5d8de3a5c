// `imghost-admin restore-files SNAPSHOT`: the store half of scripts/restore.  Copies every
// original and thumbnail of a backup's store snapshot (scripts/backup's <name>.store/, in
// the local store's layout) into the store the configuration names.
//
// Made for a live service: workers may upload, and the cleanup may run, while it copies.
// Each file is written as any upload is (staged, synced, renamed into place, its folder
// synced), so a kill at any moment leaves every name either whole in the store or not
// there at all; folders are made as files need them, and one that exists or appears
// meanwhile is no error.  A name already in the store is left as it is (names are never
// reused, so it holds the same bytes): running it again after a kill copies only what
// the first run did not.  Staged files a kill leaves behind are removed by the repair
// check.  Files of the snapshot that are not the store's (foreign names, staged files)
// are not copied.  Names that share one file in the snapshot (uploads of the same bytes)
// share one file in the store again (Store::share).
#pragma once

#include <cstddef>
#include <cstdio>
#include <filesystem>

#include "store/store.hpp"

namespace imghost::admin {

struct RestoreFilesResult {
  std::size_t copied = 0;   // originals and thumbnails written to the store
  std::size_t present = 0;  // already there (an earlier run, or never lost)
  std::size_t skipped = 0;  // not the store's files: left out
};

// Copies `snapshot` into `target`; one summary line goes to `out`.  Throws
// std::system_error (a file that cannot be read or written): what was copied stays, and
// running again carries on.
RestoreFilesResult restore_files(const std::filesystem::path& snapshot, const store::Store& target, std::FILE* out);

}  // namespace imghost::admin
