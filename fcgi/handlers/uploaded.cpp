// The result of a form upload, built so that reloading or bookmarking it never uploads
// again: POST /upload answers 303 See Other to GET /uploaded/{ids} (the ids of the
// upload, comma-separated, in the order sent).  That page is public in the way the
// images' own links are: whoever has the URL sees the links.  The delete links are not
// in the URL: their tokens travel in a cookie
//
//   imghost_delete=<id>.<token>-<id>.<token>...; Path=/uploaded/<ids>; Max-Age=3600;
//   HttpOnly; SameSite=Lax (and Secure behind an https public base URL)
//
// that the browser sends back only to that exact page, for an hour: the uploading
// browser sees its delete links on every reload, anyone else sees the page without
// them.  nginx's access log format holds no cookie, so the tokens never reach a log.
// An anonymous album made by the upload ("make these files an album") has its manage
// token in a second cookie of the same kind, imghost_album=<album id>.<token>.
//
// The page links to the album its images went into when core/albums' may_link allows:
// the album is public, the viewer owns it, or this browser proves with one of these
// cookies that it made the upload or manages the album.  Never because of the ids in
// the URL: anyone with one image's link can write them, as often as they like.
#include <fmt/format.h>

#include <map>

#include "core/albums.hpp"
#include "core/upload_result.hpp"
#include "domain/error.hpp"
#include "domain/naming.hpp"
#include "handlers/auth.hpp"
#include "handlers/handlers.hpp"
#include "http/cookies.hpp"
#include "render/pages.hpp"

namespace imghost::handlers {
namespace {

constexpr std::string_view kCookie = "imghost_delete";
constexpr std::string_view kAlbumCookie = "imghost_album";
constexpr int kCookieSeconds = 3600;
// More than any upload holds (max_files is at most 1000), also after max_files is lowered.
constexpr std::size_t kMaxIds = 1000;

// "<id>.<token>-<id>.<token>": ids and tokens are base32, so '.' and '-' never occur in
// them and every character is a valid cookie octet.
std::map<std::string, std::string> tokens_of(std::string_view value) {
  std::map<std::string, std::string> out;
  std::size_t at = 0;
  while (at <= value.size()) {
    const auto end = std::min(value.find('-', at), value.size());
    const auto pair = value.substr(at, end - at);
    const auto dot = pair.find('.');
    if (dot != std::string_view::npos) out.emplace(pair.substr(0, dot), pair.substr(dot + 1));
    at = end + 1;
  }
  return out;
}

// The album cookie's album id and manage token ("" and "" when none).
std::pair<std::string, std::string> album_cookie_of(const Request& req) {
  const auto cookie = http::cookie_value(req.header("Cookie"), kAlbumCookie);
  if (!cookie) return {};
  const auto dot = cookie->find('.');
  if (dot == std::string_view::npos) return {};
  return {std::string(cookie->substr(0, dot)), std::string(cookie->substr(dot + 1))};
}

// The album the first image went into, when the page may link to it (core/albums.hpp:
// may_link); with its manage token when the album cookie proves it.
std::optional<pages::AlbumLink> album_of(App& app, const Request& req, const UploadResult& result) {
  const auto [album_id, manage_token] = album_cookie_of(req);
  auto album = result_album(app, result, album_id, manage_token);
  if (!album || !albums::may_link(album->album, {identify(app, req).user(), album->holds_a_token})) return std::nullopt;
  return pages::AlbumLink{std::move(album->album), std::move(album->manage_token)};
}

}  // namespace

Response see_uploaded(App& app, const std::vector<Stored>& stored, const std::optional<MadeAlbum>& album) {
  std::string ids, tokens;
  for (const auto& s : stored) {
    ids += (ids.empty() ? "" : ",") + s.record.id;
    tokens += (tokens.empty() ? "" : "-") + s.record.id + "." + s.delete_token;
  }
  const std::string location = "/uploaded/" + ids;
  const bool https = app.base_url().starts_with("https://");
  auto r = Response::html(303, pages::see_other(site_of(app), location));
  r.header("Location", location);
  r.header("Set-Cookie", fmt::format("{}={}; Path={}; Max-Age={}; HttpOnly; SameSite=Lax{}", kCookie, tokens, location,
                                     kCookieSeconds, https ? "; Secure" : ""));
  if (album && !album->manage_token.empty())
    r.header("Set-Cookie",
             fmt::format("{}={}.{}; Path={}; Max-Age={}; HttpOnly; SameSite=Lax{}", kAlbumCookie, album->id,
                         album->manage_token, location, kCookieSeconds, https ? "; Secure" : ""));
  return r;
}

Response uploaded_page(App& app, Request& req, const Params& params) {
  const auto& list = params["ids"];
  std::vector<std::string> ids;
  std::size_t at = 0;
  while (at <= list.size()) {
    const auto end = std::min(list.find(',', at), list.size());
    ids.push_back(list.substr(at, end - at));
    at = end + 1;
  }
  if (ids.size() > kMaxIds) throw errors::not_found(i18n::msg("no such upload"));
  for (const auto& id : ids)
    if (!naming::is_image_id(id)) throw errors::not_found(i18n::msg("no such upload"));

  const auto cookie = http::cookie_value(req.header("Cookie"), kCookie);
  const auto tokens = cookie ? tokens_of(*cookie) : std::map<std::string, std::string>{};
  const auto result = upload_result(app, ids, tokens);
  return Response::html(200, pages::uploaded(site_of(app), result.images, result.delete_tokens,
                                             ids.size() - result.images.size(), album_of(app, req, result)));
}

}  // namespace imghost::handlers
