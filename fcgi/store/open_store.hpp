// The store a configuration names.
#pragma once

#include <memory>

#include "core/config.hpp"
#include "store/store.hpp"

namespace imghost::store {

// The local disk store at config.store_dir.  Throws std::system_error when it cannot
// be opened.
std::unique_ptr<Store> open_store(const Config& config);

}  // namespace imghost::store
