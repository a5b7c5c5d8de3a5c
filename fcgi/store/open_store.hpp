// The store a configuration names.
//
//   store = local, no bucket configured   the local disk at store_dir
//   store = local, s3_bucket set          the local disk, falling back to the bucket
//   store = s3                            the bucket, falling back to the local disk
// The fallback (store/fallback_store.hpp) is what lets `imghost-admin migrate-store` move
// files while workers serve: reads find a file on either side and deletes remove it
// from both.  Staged uploads are always on the local disk (store_dir/.tmp).
#pragma once

#include <memory>

#include "domain/config.hpp"
#include "store/store.hpp"

namespace imghost::store {

// The store the workers use.  Throws std::system_error when the local folder cannot be
// made, std::runtime_error when the bucket's credentials are missing or refused
// (store/s3_credentials.hpp).  Makes no network request.
std::unique_ptr<Store> open_store(const Config& config);

// One side only (migrate-store).  open_s3_store throws std::runtime_error unless a
// bucket is configured.
std::unique_ptr<Store> open_local_store(const Config& config);
std::unique_ptr<Store> open_s3_store(const Config& config);

}  // namespace imghost::store
