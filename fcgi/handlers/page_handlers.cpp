// The browser's pages: home, upload form, an image's page, catalog, my uploads, delete
// confirmation, and nginx's own errors as the site's pages.
#include <fmt/format.h>

#include "base/text.hpp"
#include "core/accounts.hpp"
#include "core/albums.hpp"
#include "core/catalog.hpp"
#include "core/image_removal.hpp"
#include "core/moderation.hpp"
#include "domain/error.hpp"
#include "handlers/auth.hpp"
#include "handlers/handlers.hpp"
#include "render/owner_images.hpp"
#include "render/pages.hpp"
#include "render/units.hpp"

namespace imghost::handlers {
namespace {

constexpr int kCatalogPage = 48;

std::string token_of(const Request& req) {
  std::string token;
  text::query_param(req.query(), "token", token);
  return token;
}

// A page with the upload form may be kept by the browser (revalidated before reuse), so
// that Back after a refused upload returns to the form with what was typed in it; a
// no-store page would be fetched again, empty.
Response form_page(std::string html) {
  auto r = Response::html(200, std::move(html));
  r.set_header("Cache-Control", "no-cache");
  return r;
}

// The session's CSRF token for the upload form of a logged-in browser, else "".
std::string form_csrf(App& app, const Request& req) {
  const auto c = identify(app, req);
  return c.via == Caller::Via::session ? accounts::csrf_token(c.session_id) : std::string();
}

}  // namespace

Response home(App& app, Request& req, const Params&) {
  return form_page(pages::home(site_of(app), form_csrf(app, req)));
}

Response upload_form(App& app, Request& req, const Params&) {
  return form_page(pages::upload_form(site_of(app), form_csrf(app, req)));
}

Response catalog_page(App& app, Request& req, const Params&) {
  note_admin_viewer(app, req);
  const auto page = list_page(app, req.query(), kCatalogPage);
  std::string cursor;
  const bool first = !text::query_param(req.query(), "cursor", cursor) || cursor.empty();
  return Response::html(200, pages::catalog(site_of(app), page.items, page.next_cursor, first));
}

Response image_page(App& app, Request& req, const Params& params) {
  const auto image = catalog::find_live(app, params["id"]);
  // Its album, when this page may link to it (core/albums.hpp: may_link).
  const auto caller = identify(app, req);
  std::optional<pages::AlbumLink> album;
  if (auto a = catalog::album_of_image(app, image.seq); a && albums::may_link(*a, {caller.user()}))
    album = pages::AlbumLink{std::move(*a), ""};
  // Its owner (or an admin) in the browser edits it here (POST /i/{id}/edit).
  std::string owner_tools;
  if (const auto* u = caller.user();
      u && caller.via == Caller::Via::session && (u->is_admin || image.owner_id == u->id))
    owner_tools = pages::owner_image_form(image, accounts::csrf_token(caller.session_id));
  return Response::html(200, pages::image_page(site_of(app), image, album, std::time(nullptr), owner_tools));
}

Response my_uploads(App& app, Request& req, const Params&) {
  note_admin_viewer(app, req);
  return Response::html(200, pages::my_uploads(site_of(app)));
}

// The delete link's token, or the owner's (or an admin's) session.  (The router has
// checked the CSRF token of a POST that a session cookie authenticates.)
Response delete_confirm_page(App& app, Request& req, const Params& params) {
  // GET and HEAD (link checkers and chat previews send HEAD to every pasted link) show
  // the confirmation and change nothing: only POST and DELETE delete.
  const auto token = token_of(req);
  const auto caller = identify(app, req);
  const auto csrf = caller.via == Caller::Via::session ? accounts::csrf_token(caller.session_id) : std::string();
  return Response::html(
      200, pages::delete_confirm(
               site_of(app), image_removal::check_authority(app, params["id"], {token, caller.user()}), token, csrf));
}

Response delete_from_page(App& app, Request& req, const Params& params) {
  const auto caller = identify(app, req);
  return Response::html(
      200, pages::deleted(site_of(app),
                          image_removal::delete_image(app, params["id"], {token_of(req), caller.user()}).record));
}

Response delete_by_link(App& app, Request& req, const Params& params) {
  const auto caller = identify(app, req);
  image_removal::delete_image(app, params["id"], {token_of(req), caller.user()});
  Response r;
  r.status = 204;
  return r;
}

Response nginx_error(App& app, Request& req, const Params& params) {
  const auto& c = app.config();
  // Thrown, so the worker's one catch answers it like any other error: a page, or JSON
  // for a client that asked for JSON (the upload script sends Accept: application/json).
  if (params["status"] == "413")
    throw errors::too_large(i18n::msg("This upload is larger than the site accepts in one request ({}).",
                                      units::human_size(c.max_request_bytes)));
  if (params["status"] == "404") {
    // A direct link (/images/<name> or /images/thumbs/<name>) of an image the operator
    // took down answers 451, not 404.  nginx names the link the client asked for
    // (X-Imghost-Original-URI, set by the /_error/ location) and takes this status
    // (error_page 404 = /_error/404).
    const auto uri = req.header("X-Imghost-Original-URI");
    const auto slash = uri.rfind('/');
    if (uri.starts_with("/images/") && slash != std::string_view::npos) {
      auto name = uri.substr(slash + 1);
      name = name.substr(0, name.find('?'));
      if (moderation::tombstone_of_name(app, std::string(name)))
        throw errors::taken_down(i18n::msg("This image has been taken down by the site's operator."));
    }
    throw errors::not_found(i18n::msg("There is no image at this address: it was deleted, or the link is incomplete."));
  }
  throw errors::not_found(i18n::msg("no such page"));
}

}  // namespace imghost::handlers
