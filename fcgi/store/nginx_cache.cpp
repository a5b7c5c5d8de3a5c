#include "store/nginx_cache.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <cerrno>
#include <string>
#include <system_error>

#include "base/crypto.hpp"

namespace imghost::store {

std::filesystem::path NginxCache::entry(Object object, std::string_view name) const {
  const std::string key = (object == Object::original ? "originals/" : "thumbs/") + std::string(name);
  const std::string md5 = crypto::md5_hex(key);
  // levels=1:2, taken from the end of the hex digest.
  return dir_ / md5.substr(31, 1) / md5.substr(29, 2) / md5;
}

void NginxCache::forget(Object object, std::string_view name) const {
  const auto path = entry(object, name);
  if (::unlink(path.c_str()) != 0 && errno != ENOENT && errno != ENOTDIR)
    throw std::system_error(errno, std::generic_category(),
                            fmt::format("removing {}'s entry {} from nginx's cache", name, path.string()));
}

}  // namespace imghost::store
