#include "store/nginx_cache.hpp"

#include <fmt/format.h>
#include <unistd.h>

#include <cerrno>
#include <string>
#include <system_error>

#include "base/crypto.hpp"

namespace imghost::store {

namespace {
// The file of the entry whose proxy_cache_key is `key`: levels=1:2, taken from the end of
// the key's MD5 in hex.
std::filesystem::path entry_of(const std::filesystem::path& dir, const std::string& key) {
  const std::string md5 = crypto::md5_hex(key);
  return dir / md5.substr(31, 1) / md5.substr(29, 2) / md5;
}
void unlink_entry(const std::filesystem::path& path, std::string_view name) {
  if (::unlink(path.c_str()) != 0 && errno != ENOENT && errno != ENOTDIR)
    throw std::system_error(errno, std::generic_category(),
                            fmt::format("removing {}'s entry {} from nginx's cache", name, path.string()));
}
}  // namespace

std::filesystem::path NginxCache::entry(Object object, std::string_view name) const {
  return entry_of(dir_, (object == Object::original ? "originals/" : "thumbs/") + std::string(name));
}

void NginxCache::forget_variant(std::string_view object) const {
  unlink_entry(entry_of(dir_, "variants/" + std::string(object)), object);
}

void NginxCache::forget(Object object, std::string_view name) const {
  const auto path = entry(object, name);
  if (::unlink(path.c_str()) != 0 && errno != ENOENT && errno != ENOTDIR)
    throw std::system_error(errno, std::generic_category(),
                            fmt::format("removing {}'s entry {} from nginx's cache", name, path.string()));
}

}  // namespace imghost::store
