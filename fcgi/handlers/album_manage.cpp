// Albums managed in the browser, with plain forms that work without JavaScript: an
// account's albums (/account/albums: the list and the form that creates one) and an
// album's manage page (/a/{id}/manage: rename, close, move an image, choose the cover,
// the whole order at once for the page's drag and drop, delete after a confirmation).
//
// Who may is core's rule (albums::check_manager): the owner's session (or an admin's),
// or the album's manage token, which an anonymous album's manage link carries in its
// query (?token=, never logged: nginx logs such requests without their query) and every
// form of the page as the field `manage_token`.  The router has checked the CSRF token
// of every POST that a session cookie authenticates; a form proven by the manage token
// alone is not forgeable without the token.  Each change is one albums::edit (one
// transaction under the album's row lock); after it the browser is sent back to the
// manage page (303).
#include <fmt/format.h>

#include <algorithm>

#include "base/text.hpp"
#include "core/accounts.hpp"
#include "core/album_removal.hpp"
#include "core/albums.hpp"
#include "core/catalog.hpp"
#include "domain/error.hpp"
#include "domain/free_text.hpp"
#include "handlers/auth.hpp"
#include "handlers/handlers.hpp"
#include "render/album_manage.hpp"
#include "render/pages.hpp"

namespace imghost::handlers {
namespace {

constexpr int kMaxListed = 100;  // albums on "My albums" and in the "add to album" choice

// The album being managed, the proof its forms carry, and who did it for the log.
struct Managing {
  AlbumRecord album;
  pages::ManageProof proof;
  std::string by;  // the account's username, "" for the manage token
};

Managing managing(App& app, const Request& req, const std::string& id, const std::string& token) {
  const auto c = identify(app, req);
  Managing m{albums::find_managed(app, id, token, c.user()),
             {c.via == Caller::Via::session ? accounts::csrf_token(c.session_id) : std::string(), token},
             token.empty() && c.account ? c.account->username : std::string()};
  return m;
}

std::string query_token(const Request& req) {
  std::string token;
  text::query_param(req.query(), "token", token);
  return token;
}

// The album's live images in order: all of them (an album holds at most 1000).
std::vector<AlbumItem> all_items(App& app, const AlbumRecord& album) {
  return catalog::album_items(app, album.seq, std::nullopt, albums::kMaxItemsLimit + 1);
}

Response back_to_manage(App& app, const Managing& m) {
  return see_other(app, pages::manage_url(m.album.id, m.proof.manage_token));
}

// A POST of the manage page: the body read, the album found and its manager checked.
struct Posted {
  std::string body;
  Managing m;
};
Posted posted(App& app, Request& req, const Params& params) {
  auto body = req.read_body(kMaxFormBody);
  auto m = managing(app, req, params["id"], form_field(body, "manage_token"));
  return {std::move(body), std::move(m)};
}

Response apply(App& app, const Managing& m, const albums::AlbumEdit& e) {
  albums::edit(app, m.album, e, m.by);
  return back_to_manage(app, m);
}

}  // namespace

Response my_albums_page(App& app, Request& req, const Params&) {
  const auto c = identify(app, req);
  if (c.via != Caller::Via::session || !c.account) return see_other(app, "/login");
  const pages::AccountView view{*c.account, accounts::quota_of(app.config(), *c.account),
                                accounts::csrf_token(c.session_id)};
  return Response::html(
      200, pages::my_albums(site_of(app), view, albums::list_owned(app, c.account->id, std::nullopt, kMaxListed)));
}

Response create_album_from_form(App& app, Request& req, const Params&) {
  const auto c = identify(app, req);
  if (c.via != Caller::Via::session || !c.account) throw errors::unauthorized(i18n::msg("log in first"));
  const auto body = req.read_body(kMaxFormBody);
  albums::AlbumRequest a;
  a.title = checked_free_text(form_field(body, "title"), "title", kMaxTitleChars);
  a.visibility = form_field(body, "visibility") == "public" ? Visibility::public_ : Visibility::unlisted;
  const auto created = albums::create(app, a, c.user());
  return see_other(app, pages::manage_url(created.album.id, ""));
}

Response album_manage_page(App& app, Request& req, const Params& params) {
  const auto m = managing(app, req, params["id"], query_token(req));
  return Response::html(200, pages::album_manage(site_of(app), m.album, all_items(app, m.album), m.proof));
}

Response album_edit_from_form(App& app, Request& req, const Params& params) {
  const auto p = posted(app, req, params);
  albums::AlbumEdit e;
  e.title.emplace(checked_free_text(form_field(p.body, "title"), "title", kMaxTitleChars));
  e.description.emplace(
      checked_free_text(typed_text(form_field(p.body, "description")), "description", kMaxDescriptionChars));
  return apply(app, p.m, e);
}

Response album_close_from_form(App& app, Request& req, const Params& params) {
  const auto p = posted(app, req, params);
  albums::AlbumEdit e;
  e.close = true;
  return apply(app, p.m, e);
}

Response album_move_from_form(App& app, Request& req, const Params& params) {
  const auto p = posted(app, req, params);
  const auto image = form_field(p.body, "image");
  const auto to = form_field(p.body, "to");
  if (to != "up" && to != "down") throw errors::bad_request(i18n::msg("to must be up or down"));
  std::vector<std::string> order;
  for (const auto& item : all_items(app, p.m.album)) order.push_back(item.image.id);
  const auto it = std::find(order.begin(), order.end(), image);
  if (it == order.end()) throw errors::bad_request(i18n::msg("That image is not in this album."));
  // Moving the first up or the last down leaves the order as it is.
  if (to == "up" && it != order.begin()) std::iter_swap(it, it - 1);
  if (to == "down" && it + 1 != order.end()) std::iter_swap(it, it + 1);
  albums::AlbumEdit e;
  e.order = std::move(order);
  return apply(app, p.m, e);
}

Response album_cover_from_form(App& app, Request& req, const Params& params) {
  const auto p = posted(app, req, params);
  albums::AlbumEdit e;
  e.cover.emplace(form_field(p.body, "image"));
  return apply(app, p.m, e);
}

Response album_order_from_form(App& app, Request& req, const Params& params) {
  const auto p = posted(app, req, params);
  albums::AlbumEdit e;
  auto& order = e.order.emplace();
  const auto text = form_field(p.body, "order");
  std::string_view rest = text;
  while (!rest.empty()) {
    const auto space = rest.find(' ');
    if (space != 0) order.emplace_back(rest.substr(0, space));
    rest = space == std::string_view::npos ? std::string_view{} : rest.substr(space + 1);
  }
  return apply(app, p.m, e);
}

Response album_delete_confirm_page(App& app, Request& req, const Params& params) {
  const auto c = identify(app, req);
  const auto token = query_token(req);
  const auto album = albums::find_to_remove(app, params["id"], token, c.user());
  const pages::ManageProof proof{c.via == Caller::Via::session ? accounts::csrf_token(c.session_id) : std::string(),
                                 token};
  return Response::html(200, pages::album_delete_confirm(site_of(app), album, proof));
}

Response album_delete_from_form(App& app, Request& req, const Params& params) {
  const auto c = identify(app, req);
  const auto body = req.read_body(kMaxFormBody);
  const auto token = form_field(body, "manage_token");
  const auto album = albums::find_to_remove(app, params["id"], token, c.user());
  const auto by = token.empty() && c.account ? c.account->username : std::string();
  album_removal::remove_album(app, album.seq, album_removal::deleted_line(album.id, by));
  if (token.empty() && c.via == Caller::Via::session) return see_other(app, "/account/albums");
  return Response::html(200, pages::album_deleted(site_of(app), pages::album_title(album)));
}

}  // namespace imghost::handlers
