#include "store/open_store.hpp"

#include "store/local_store.hpp"

namespace imghost::store {

std::unique_ptr<Store> open_store(const Config& config) { return std::make_unique<LocalStore>(config.store_dir); }

}  // namespace imghost::store
