// GET /a/{id}: an album's page.  Like an image's page it is reachable by whoever has its
// link, public or unlisted (only a public one is listed); an unknown album, or one being
// deleted, is the site's 404 page, an expired one its 410 page (albums::find_live throws
// them; the worker's one catch makes the page).  Long albums are paged on the items'
// positions: ?after=<position>.
#include <charconv>

#include "base/text.hpp"
#include "core/albums.hpp"
#include "core/catalog.hpp"
#include "core/previews.hpp"
#include "domain/error.hpp"
#include "handlers/auth.hpp"
#include "handlers/handlers.hpp"
#include "render/pages.hpp"

namespace imghost::handlers {
namespace {

constexpr int kAlbumPage = 60;

// ?after= as sent: a position (0 or more), else 400.
long long after_of(std::string_view query) {
  std::string v;
  if (!text::query_param(query, "after", v) || v.empty()) return 0;
  long long n = 0;
  const auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
  if (ec != std::errc() || p != v.data() + v.size() || n < 0)
    throw errors::bad_request(i18n::msg("bad after: a position"));
  return n;
}

}  // namespace

Response album_page(App& app, Request& req, const Params& params) {
  note_admin_viewer(app, req);
  const auto album = albums::find_live(app, params["id"]);
  const auto after = after_of(req.query());
  auto items = catalog::album_items(app, album.seq, after, kAlbumPage + 1);
  std::optional<long long> next;
  // One row more than shown tells whether a next page exists.
  if (items.size() > static_cast<std::size_t>(kAlbumPage)) {
    items.resize(kAlbumPage);
    next = items.back().position;
  }
  // The picture of its link preview, which only a site with a public base URL shows
  // (render/link_preview.hpp): the query is spared otherwise.
  std::optional<ImageRecord> picture;
  if (!app.base_url().empty()) picture = previews::album_picture(app, album);
  return Response::html(200, pages::album_page(site_of(app), album, items, picture, next, after == 0));
}

}  // namespace imghost::handlers
