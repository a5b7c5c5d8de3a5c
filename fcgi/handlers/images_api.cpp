// The JSON API around stored images: list, one, its file, delete, an account's own, edit.
#include <fmt/format.h>

#include <charconv>

#include "base/page_cursor.hpp"
#include "base/text.hpp"
#include "core/catalog.hpp"
#include "core/image_edit.hpp"
#include "core/image_removal.hpp"
#include "domain/error.hpp"
#include "domain/free_text.hpp"
#include "handlers/auth.hpp"
#include "handlers/handlers.hpp"
#include "render/json.hpp"

namespace imghost::handlers {
namespace {

constexpr int kDefaultLimit = 20;
constexpr int kMaxLimit = 100;

long long parse_positive(std::string_view s, const char* what) {
  long long n = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), n);
  if (ec != std::errc() || p != s.data() + s.size() || n <= 0) throw errors::bad_request(i18n::msg("bad {}", what));
  return n;
}

// RFC 6266: an ASCII fallback in filename= and the exact UTF-8 name in filename*=.
std::string content_disposition(const std::string& name) {
  std::string ascii, encoded;
  for (const char ch : name) {
    const auto c = static_cast<unsigned char>(ch);
    ascii.push_back(c >= 0x20 && c < 0x7F && c != '"' && c != '\\' ? ch : '_');
    if (std::isalnum(c) || std::string_view("!#$&+-.^_`|~").find(ch) != std::string_view::npos)
      encoded.push_back(ch);
    else
      encoded += fmt::format("%{:02X}", c);
  }
  return fmt::format("inline; filename=\"{}\"; filename*=UTF-8''{}", ascii, encoded);
}

}  // namespace

std::string album_scope(long long album_seq) { return "album " + std::to_string(album_seq); }

PageRequest page_request(App& app, std::string_view query, int default_limit, std::string_view scope) {
  PageRequest p{default_limit, std::nullopt};
  std::string v;
  if (text::query_param(query, "limit", v)) {
    const auto n = parse_positive(v, "limit: expected 1 to 100");
    if (n > kMaxLimit) throw errors::bad_request(i18n::msg("bad limit: expected 1 to 100"));
    p.limit = static_cast<int>(n);
  }
  if (text::query_param(query, "cursor", v) && !v.empty()) {
    p.before = page_cursor::open(app.page_cursor_key(), scope, v);
    if (!p.before) throw errors::bad_request(i18n::msg("bad cursor: use the next_cursor of this list's previous page"));
  }
  return p;
}

std::string next_cursor(App& app, std::string_view scope, long long key) {
  return page_cursor::seal(app.page_cursor_key(), scope, key);
}

Page page_of(App& app, std::vector<ImageRecord> rows, int limit, std::string_view scope) {
  Page page;
  page.items = std::move(rows);
  page.next_cursor = cut_to_page(app, page.items, limit, scope, [](const ImageRecord& r) { return r.seq; });
  return page;
}

Page list_page(App& app, std::string_view query, int default_limit) {
  const auto p = page_request(app, query, default_limit, cursor_scope::catalog);
  return page_of(app, catalog::public_images(app, p.before, p.limit + 1), p.limit, cursor_scope::catalog);
}

Response list_images(App& app, Request& req, const Params&) {
  const auto page = list_page(app, req.query(), kDefaultLimit);
  return Response::json(200, views::image_list_json(page.items, page.next_cursor, app.base_url()));
}

Response get_image(App& app, Request&, const Params& params) {
  return Response::json(200, views::dump(views::image_json(catalog::find_live(app, params["id"]), app.base_url())));
}

Response get_image_file(App& app, Request&, const Params& params) {
  const auto rec = catalog::find_live(app, params["id"]);
  Response r;
  r.status = 200;
  // nginx sends the bytes from the store (location /_store/ is internal and knows
  // where a name lives).
  r.header("X-Accel-Redirect", "/_store/" + rec.name);
  r.header("Content-Disposition",
           content_disposition(rec.original_filename.empty() ? rec.name : rec.original_filename));
  return r;
}

Response delete_image_api(App& app, Request& req, const Params& params) {
  // With a delete token, the token decides; without, the caller's account (owner or
  // admin).  An invalid Bearer token is 401 either way.
  const auto caller = identify(app, req);
  image_removal::delete_image(app, params["id"], {std::string(req.header("X-Delete-Token")), caller.user()});
  Response r;
  r.status = 204;
  return r;
}

Response my_images(App& app, Request& req, const Params&) {
  const auto caller = require_account(app, req);
  const auto p = page_request(app, req.query(), kDefaultLimit, cursor_scope::account_images);
  const auto page = page_of(app, catalog::owned_images(app, caller.account->id, p.before, p.limit + 1), p.limit,
                            cursor_scope::account_images);
  return Response::json(200, views::image_list_json(page.items, page.next_cursor, app.base_url()));
}

Response patch_image(App& app, Request& req, const Params& params) {
  const auto caller = require_account(app, req);
  const auto& id = params["id"];
  // 404 before 403, then the body: a stranger learns nothing from a malformed body.
  image_removal::check_authority(app, id, {"", caller.user()});
  const auto body = object_body(req);
  for (const auto& [key, value] : body.items())
    if (key != "description" && key != "visibility") throw errors::bad_request(i18n::msg("{} cannot be changed", key));
  // Every field is checked before anything is written, and the edit is one statement:
  // a refused PATCH changes nothing.
  ImageEdit edit;
  if (body.contains("description")) {
    const auto& d = body["description"];
    if (!d.is_null() && !d.is_string()) throw errors::bad_request(i18n::msg("description must be a string or null"));
    edit.description =
        d.is_null() ? std::nullopt : checked_free_text(d.get<std::string>(), "description", kMaxDescriptionChars);
  }
  if (body.contains("visibility")) {
    const auto& v = body["visibility"];
    edit.visibility = v.is_string() ? parse_visibility(v.get<std::string>()) : std::nullopt;
    if (!edit.visibility) throw errors::bad_request(i18n::msg("visibility must be public or unlisted"));
  }
  return Response::json(200,
                        views::dump(views::image_json(edit_image(app, id, edit, *caller.account), app.base_url())));
}

}  // namespace imghost::handlers
