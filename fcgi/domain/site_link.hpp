// A link to something of this site, as an oEmbed consumer sends it (GET /api/oembed?url=):
// an image's page, an album's page, or an image's file.  Pure: no lookup, only the shape.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace imghost {

struct SiteLink {
  enum class Kind { image_page, album_page, image_file };
  Kind kind;
  std::string key;  // the image or album id; the stored file name for image_file
};

// `url` when it is `base` ("https://img.example", the public base URL without its
// trailing slash) followed by /i/{id}, /a/{id} or /images/{name}, with an optional query
// or fragment (a shared link often carries one); the id or name must have the shape
// imghost makes (domain/naming.hpp), so nothing a client sends reaches a query unless it
// could be ours.  nullopt for anything else: another site, another path, an empty base
// (no public address: the site cannot tell its own links).  The scheme and host compare
// without regard to case, as URLs do.
std::optional<SiteLink> parse_site_link(std::string_view base, std::string_view url);

}  // namespace imghost
