#include "domain/site_link.hpp"

#include "base/text.hpp"
#include "domain/naming.hpp"

namespace imghost {
namespace {

// The length of the scheme and authority of `base` ("https://img.example" of
// "https://img.example/pics"): only that part compares without regard to case.
std::size_t origin_length(std::string_view base) {
  const auto scheme = base.find("://");
  if (scheme == std::string_view::npos) return 0;
  const auto slash = base.find('/', scheme + 3);
  return slash == std::string_view::npos ? base.size() : slash;
}

}  // namespace

std::optional<SiteLink> parse_site_link(std::string_view base, std::string_view url) {
  if (base.empty() || url.size() <= base.size()) return std::nullopt;
  const auto origin = origin_length(base);
  if (!text::ascii_iequals(url.substr(0, origin), base.substr(0, origin)) ||
      url.substr(origin, base.size() - origin) != base.substr(origin))
    return std::nullopt;
  auto path = url.substr(base.size());
  path = path.substr(0, path.find_first_of("?#"));
  const auto after = [&](std::string_view prefix) -> std::optional<std::string_view> {
    if (!path.starts_with(prefix)) return std::nullopt;
    return path.substr(prefix.size());
  };
  if (const auto id = after("/i/"); id && naming::is_image_id(*id))
    return SiteLink{SiteLink::Kind::image_page, std::string(*id)};
  // Album ids are made like image ids (core/albums.cpp: naming::new_image_id).
  if (const auto id = after("/a/"); id && naming::is_image_id(*id))
    return SiteLink{SiteLink::Kind::album_page, std::string(*id)};
  if (const auto name = after("/images/"); name && naming::is_file_name(*name))
    return SiteLink{SiteLink::Kind::image_file, std::string(*name)};
  return std::nullopt;
}

}  // namespace imghost
