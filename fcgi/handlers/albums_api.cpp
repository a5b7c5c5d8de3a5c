// The JSON API of albums: create, list, read, edit and delete them, list an album's
// images.  Uploading into one is upload.cpp's (the same flow with a Placement); the
// rules are docs/albums-expiry-design.md's.
#include <fmt/format.h>

#include "base/text.hpp"
#include "core/album_removal.hpp"
#include "core/albums.hpp"
#include "core/catalog.hpp"
#include "domain/error.hpp"
#include "domain/free_text.hpp"
#include "handlers/auth.hpp"
#include "handlers/handlers.hpp"
#include "render/json.hpp"

namespace imghost::handlers {
namespace {

// A text member (title, description): absent, null or all blank is nullopt; bad_request
// when it is not a string, not valid UTF-8, holds a control character other than tab
// and newlines, or is longer than `max_chars` characters.
std::optional<std::string> text_member(const nlohmann::json& body, const char* key, std::size_t max_chars) {
  const auto it = body.find(key);
  if (it == body.end() || it->is_null()) return std::nullopt;
  if (!it->is_string()) throw errors::bad_request(i18n::msg("{} must be a string", key));
  return checked_free_text(it->get_ref<const std::string&>(), key, max_chars);
}

// An integer member, or nullopt when absent or null; bad_request when it is not an integer.
std::optional<long long> integer_member(const nlohmann::json& body, const char* key) {
  const auto it = body.find(key);
  if (it == body.end() || it->is_null()) return std::nullopt;
  if (!it->is_number_integer()) throw errors::bad_request(i18n::msg("{} must be an integer", key));
  return it->get<long long>();
}

constexpr int kDefaultLimit = 20;

// A page of albums as the image lists answer: {"items": [...], "next_cursor": the
// cursor after the last album, or null}.  `rows` were fetched with limit + 1: the extra
// one says there is a next page.
std::string album_page_json(App& app, std::vector<AlbumRecord> rows, int limit, std::string_view scope) {
  const auto next = cut_to_page(app, rows, limit, scope, [](const AlbumRecord& a) { return a.seq; });
  auto items = nlohmann::json::array();
  for (const auto& a : rows) items.push_back(views::album_json(a, app.base_url()));
  return views::dump(
      {{"items", std::move(items)}, {"next_cursor", next ? nlohmann::json(*next) : nlohmann::json(nullptr)}});
}

}  // namespace

Response list_albums(App& app, Request& req, const Params&) {
  std::string mine;
  const bool own = text::query_param(req.query(), "mine", mine) && mine != "0";
  if (own && mine != "1") throw errors::bad_request(i18n::msg("bad mine: expected 1 (the account's own albums) or 0"));
  // 401 before a bad limit or cursor, as the account's image list does.
  const auto caller = own ? require_account(app, req) : Caller{};
  const auto scope = own ? cursor_scope::account_albums : cursor_scope::albums;
  const auto p = page_request(app, req.query(), kDefaultLimit, scope);
  auto rows = own ? albums::list_owned(app, caller.account->id, p.before, p.limit + 1)
                  : albums::list_public(app, p.before, p.limit + 1);
  return Response::json(200, album_page_json(app, std::move(rows), p.limit, scope));
}

Response list_album_images(App& app, Request& req, const Params& params) {
  const auto album = albums::find_live(app, params["id"]);
  // The cursor seals the last item's position: the next page starts after it.
  const auto scope = album_scope(album.seq);
  const auto p = page_request(app, req.query(), kDefaultLimit, scope);
  auto rows = catalog::album_items(app, album.seq, p.before, p.limit + 1);
  const auto next = cut_to_page(app, rows, p.limit, scope, [](const auto& r) { return r.position; });
  std::vector<ImageRecord> images;
  images.reserve(rows.size());
  for (auto& row : rows) images.push_back(std::move(row.image));
  return Response::json(200, views::image_list_json(images, next, app.base_url()));
}

Response create_album(App& app, Request& req, const Params&) {
  const auto& cfg = app.config();
  const auto caller = identify(app, req);
  albums::check_may_create(cfg, caller.user());
  const auto body = object_body(req);
  for (const auto& [key, value] : body.items())
    if (key != "title" && key != "description" && key != "visibility" && key != "max_items" && key != "expires_in")
      throw errors::bad_request(i18n::msg("unknown field {}", key));
  albums::AlbumRequest a;
  a.title = text_member(body, "title", kMaxTitleChars);
  a.description = text_member(body, "description", kMaxDescriptionChars);
  a.visibility = cfg.default_visibility;
  if (const auto it = body.find("visibility"); it != body.end() && !it->is_null()) {
    const auto v = it->is_string() ? parse_visibility(it->get<std::string>()) : std::nullopt;
    if (!v) throw errors::bad_request(i18n::msg("visibility must be public or unlisted"));
    a.visibility = *v;
  }
  if (const auto n = integer_member(body, "max_items")) a.max_items = albums::checked_max_items(*n);
  if (const auto s = integer_member(body, "expires_in")) a.expires_in = albums::checked_expires_in(cfg, *s);

  const auto created = albums::create(app, a, caller.user());
  auto j = views::album_json(created.album, app.base_url());
  if (!created.manage_token.empty()) j["manage_token"] = created.manage_token;
  return Response::json(201, views::dump(j));
}

Response get_album(App& app, Request&, const Params& params) {
  return Response::json(200, views::dump(views::album_json(albums::find_live(app, params["id"]), app.base_url())));
}

Response patch_album(App& app, Request& req, const Params& params) {
  const auto caller = identify(app, req);
  const std::string token(req.header("X-Manage-Token"));
  // 404 and 410 (what anyone may learn), then 403, then the body: a stranger learns
  // nothing from a malformed body.
  const auto album = albums::find_managed(app, params["id"], token, caller.user());
  const auto body = object_body(req);
  for (const auto& [key, value] : body.items())
    if (key != "title" && key != "description" && key != "status" && key != "cover" && key != "order")
      throw errors::bad_request(i18n::msg("{} cannot be changed", key));
  albums::AlbumEdit e;
  if (body.contains("title")) e.title.emplace(text_member(body, "title", kMaxTitleChars));
  if (body.contains("description")) e.description.emplace(text_member(body, "description", kMaxDescriptionChars));
  if (const auto it = body.find("status"); it != body.end()) {
    // Closing is for good: an album is never opened again.
    if (!it->is_string() || it->get_ref<const std::string&>() != "closed")
      throw errors::bad_request(i18n::msg("status can only be set to closed"));
    e.close = true;
  }
  if (const auto it = body.find("cover"); it != body.end()) {
    if (it->is_null())
      e.cover.emplace();
    else if (it->is_string())
      e.cover.emplace(it->get<std::string>());
    else
      throw errors::bad_request(i18n::msg("cover must be the id of an image of this album, or null"));
  }
  if (const auto it = body.find("order"); it != body.end()) {
    if (!it->is_array()) throw errors::bad_request(i18n::msg("order must be a list of the album's image ids"));
    auto& order = e.order.emplace();
    for (const auto& id : *it) {
      if (!id.is_string()) throw errors::bad_request(i18n::msg("order must be a list of the album's image ids"));
      order.push_back(id.get<std::string>());
    }
  }
  const auto by = caller.account && token.empty() ? caller.account->username : std::string();
  return Response::json(200, views::dump(views::album_json(albums::edit(app, album, e, by), app.base_url())));
}

Response delete_album(App& app, Request& req, const Params& params) {
  const auto caller = identify(app, req);
  const auto& id = params["id"];
  // An expired album can still be deleted by whoever manages it; one being deleted is
  // already gone (core/albums.hpp: find_to_remove).
  const std::optional<AlbumRecord> album =
      albums::find_to_remove(app, id, std::string(req.header("X-Manage-Token")), caller.user());
  const auto by = caller.account && req.header("X-Manage-Token").empty() ? caller.account->username : std::string();
  album_removal::remove_album(app, album->seq, album_removal::deleted_line(id, by));
  Response r;
  r.status = 204;
  return r;
}

}  // namespace imghost::handlers
