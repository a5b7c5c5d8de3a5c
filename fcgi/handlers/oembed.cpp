// GET /api/oembed?url=<a page or a direct link of this site>[&maxwidth=&maxheight=][&format=]:
// oEmbed 1.0 (https://oembed.com) for the consumers that found the discovery link in a
// page's <head> (render/link_preview.hpp).  JSON only: format=xml is 501, as the spec
// says of a format the provider does not offer.  A link that is not one of this site's
// (another host, another path, a malformed id) is 404, like an unknown one; an expired
// item is 410.  Without a public base URL the site cannot tell its own links (it never
// trusts the Host header), so every link is 404.
#include <charconv>

#include "base/text.hpp"
#include "core/previews.hpp"
#include "domain/error.hpp"
#include "domain/site_link.hpp"
#include "handlers/handlers.hpp"
#include "render/json.hpp"
#include "render/link_preview.hpp"

namespace imghost::handlers {
namespace {

// ?maxwidth= and ?maxheight=: a whole number of pixels, 1 or more; absent is no bound.
std::optional<std::uint32_t> dimension(std::string_view query, std::string_view key) {
  std::string v;
  if (!text::query_param(query, key, v)) return std::nullopt;
  std::uint32_t n = 0;
  const auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
  if (v.empty() || ec != std::errc() || p != v.data() + v.size() || n == 0)
    throw errors::bad_request(i18n::msg("bad {}: a number of pixels, 1 or more", key));
  return n;
}

}  // namespace

Response oembed(App& app, Request& req, const Params&) {
  const auto query = req.query();
  std::string format;
  if (text::query_param(query, "format", format) && !format.empty() && format != "json")
    throw errors::not_implemented(i18n::msg("only format=json is offered"));
  std::string url;
  if (!text::query_param(query, "url", url) || url.empty()) throw errors::bad_request(i18n::msg("url is required"));
  const views::EmbedBox box{dimension(query, "maxwidth"), dimension(query, "maxheight")};
  const auto link = parse_site_link(app.base_url(), url);
  if (!link) throw errors::not_found(i18n::msg("not a link to an image or album of this site"));
  const auto found = previews::find(app, *link);
  const auto answer = found.album ? views::oembed_album(app.config(), *found.album, found.picture, box)
                                  : views::oembed_photo(app.config(), *found.image, box);
  return Response::json(200, views::dump(answer));
}

}  // namespace imghost::handlers
