#include "store/open_store.hpp"

#include <stdexcept>

#include "store/fallback_store.hpp"
#include "store/local_store.hpp"
#include "store/s3_credentials.hpp"
#include "store/s3_store.hpp"

namespace imghost::store {

std::unique_ptr<Store> open_local_store(const Config& config) { return std::make_unique<LocalStore>(config.store_dir); }

std::unique_ptr<Store> open_s3_store(const Config& config) {
  if (!config.s3_configured()) throw std::runtime_error("no bucket configured (s3_endpoint, s3_bucket)");
  S3Options options;
  options.endpoint = config.s3_endpoint;
  options.bucket = config.s3_bucket;
  options.region = config.s3_region;
  return std::make_unique<S3Store>(options, load_s3_credentials(config.s3_credentials_file), config.s3_prefix,
                                   config.store_dir, config.s3_cache_dir);
}

std::unique_ptr<Store> open_store(const Config& config) {
  if (config.store == "s3") return std::make_unique<FallbackStore>(open_s3_store(config), open_local_store(config));
  if (config.s3_configured()) return std::make_unique<FallbackStore>(open_local_store(config), open_s3_store(config));
  return open_local_store(config);
}

}  // namespace imghost::store
