#include "core/static_assets.hpp"

#include <cerrno>
#include <fstream>
#include <sstream>
#include <system_error>

#include "base/crypto.hpp"

namespace imghost {
namespace {

constexpr std::size_t kDigestChars = 10;  // 40 bits: plenty to tell versions apart

// "/static/<stem>.<digest>.<ext>" for the file <dir>/<stem>.<ext>.
std::string versioned(const std::filesystem::path& dir, const std::string& stem, const std::string& ext) {
  const auto path = dir / (stem + "." + ext);
  std::ifstream in(path, std::ios::binary);
  std::stringstream bytes;
  if (in) bytes << in.rdbuf();
  if (!in || in.bad())
    throw std::system_error(errno ? errno : ENOENT, std::generic_category(), "cannot read " + path.string());
  const auto digest = crypto::to_hex(crypto::sha256(bytes.str())).substr(0, kDigestChars);
  return "/static/" + stem + "." + digest + "." + ext;
}

}  // namespace

StaticAssets StaticAssets::load(const std::filesystem::path& dir) {
  return {versioned(dir, "site", "css"), versioned(dir, "site", "js"), versioned(dir, "icon", "svg")};
}

}  // namespace imghost
