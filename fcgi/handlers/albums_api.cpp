// The JSON API of albums: create one, read one.  Uploading into one is upload.cpp's
// (the same flow with a Placement); the rules are docs/albums-expiry-design.md's.
#include <fmt/format.h>

#include "base/text.hpp"
#include "core/albums.hpp"
#include "core/error.hpp"
#include "core/expiry.hpp"
#include "core/naming.hpp"
#include "db/albums_repo.hpp"
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
  if (!it->is_string()) throw errors::bad_request(fmt::format("{} must be a string", key));
  const auto& s = it->get_ref<const std::string&>();
  if (!text::is_valid_utf8(s)) throw errors::bad_request(fmt::format("{} is not valid UTF-8", key));
  if (const auto c = text::first_forbidden_control(s))
    throw errors::bad_request(fmt::format("{} holds a control character (U+{:04X})", key, static_cast<unsigned>(*c)));
  if (text::utf8_length(s) > max_chars)
    throw errors::bad_request(fmt::format("{} is longer than {} characters", key, max_chars));
  if (s.find_first_not_of(" \t\r\n") == std::string::npos) return std::nullopt;
  return s;
}

// An integer member, or nullopt when absent or null; bad_request when it is not an integer.
std::optional<long long> integer_member(const nlohmann::json& body, const char* key) {
  const auto it = body.find(key);
  if (it == body.end() || it->is_null()) return std::nullopt;
  if (!it->is_number_integer()) throw errors::bad_request(fmt::format("{} must be an integer", key));
  return it->get<long long>();
}

}  // namespace

Response create_album(App& app, Request& req, const Params&) {
  const auto& cfg = app.config();
  const auto caller = identify(app, req);
  if (!caller.account && !cfg.anonymous_uploads)
    throw errors::unauthorized("albums need an account here: log in or send 'Authorization: Bearer <token>'");
  const auto body = object_body(req);
  for (const auto& [key, value] : body.items())
    if (key != "title" && key != "description" && key != "visibility" && key != "max_items" && key != "expires_in")
      throw errors::bad_request(fmt::format("unknown field {}", key));
  albums::AlbumRequest a;
  a.title = text_member(body, "title", albums::kMaxTitleChars);
  a.description = text_member(body, "description", 1000);
  a.visibility = cfg.default_visibility;
  if (const auto it = body.find("visibility"); it != body.end() && !it->is_null()) {
    const auto v = it->is_string() ? parse_visibility(it->get<std::string>()) : std::nullopt;
    if (!v) throw errors::bad_request("visibility must be public or unlisted");
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

Response delete_album(App& app, Request& req, const Params& params) {
  const auto caller = identify(app, req);
  const auto& id = params["id"];
  // An expired album can still be deleted by whoever manages it (the cleanup would
  // remove it anyway); one being deleted is already gone.
  if (!naming::is_image_id(id)) throw errors::not_found("no such album");
  const auto album = db::AlbumsRepo(app.db()).find(id);
  if (!album || album->status == "deleting") throw errors::not_found("no such album");
  albums::check_manager(*album, std::string(req.header("X-Manage-Token")), caller.user());
  const auto by = caller.account && req.header("X-Manage-Token").empty()
                      ? fmt::format(" by {}", caller.account->username)
                      : std::string();
  expiry::remove_album(app.db(), app.store(), app.log(), album->seq, fmt::format("album {} deleted{}.", id, by));
  Response r;
  r.status = 204;
  return r;
}

}  // namespace imghost::handlers
