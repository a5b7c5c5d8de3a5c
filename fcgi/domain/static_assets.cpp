#include "domain/static_assets.hpp"

#include <fstream>
#include <sstream>

#include "base/crypto.hpp"

namespace imghost {
namespace {

constexpr std::size_t kDigestChars = 10;  // 40 bits: plenty to tell versions apart

// Sets `url` to "/static/<stem>.<digest>.<ext>" for the file <dir>/<stem>.<ext>, or
// notes in `problem` why it cannot.
void version(const std::filesystem::path& dir, const std::string& stem, const std::string& ext, std::string& url,
             std::string& problem) {
  const auto path = dir / (stem + "." + ext);
  std::ifstream in(path, std::ios::binary);
  std::stringstream bytes;
  if (in) bytes << in.rdbuf();
  if (!in || in.bad()) {
    problem += (problem.empty() ? "cannot read " : ", ") + path.string();
    return;
  }
  const auto digest = crypto::to_hex(crypto::sha256(bytes.str())).substr(0, kDigestChars);
  url = "/static/" + stem + "." + digest + "." + ext;
}

}  // namespace

StaticAssets StaticAssets::load(const std::filesystem::path& dir) {
  StaticAssets a;
  version(dir, "site", "css", a.stylesheet, a.problem);
  version(dir, "site", "js", a.script, a.problem);
  version(dir, "icon", "svg", a.icon, a.problem);
  return a;
}

}  // namespace imghost
