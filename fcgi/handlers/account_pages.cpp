// The browser's account pages: signup, login, logout, "My images", API tokens.  Forms
// post application/x-www-form-urlencoded; the router has already applied the CSRF
// rule (handlers/auth.hpp) to every POST that a live session cookie authenticates;
// login and signup, which come before a session, apply their own (login_csrf.hpp).
#include <fmt/format.h>

#include "base/text.hpp"
#include "core/accounts.hpp"
#include "core/albums.hpp"
#include "core/catalog.hpp"
#include "domain/error.hpp"
#include "handlers/auth.hpp"
#include "handlers/handlers.hpp"
#include "handlers/login_csrf.hpp"
#include "http/status.hpp"
#include "render/account_pages.hpp"
#include "render/html.hpp"
#include "render/json.hpp"
#include "render/pages.hpp"

namespace imghost::handlers {
namespace {

constexpr int kPageSize = 48;
constexpr int kMaxAlbumChoices = 100;

// A login or signup page, rendered with the browser's pre-session token: with the
// cookie of its form key when that is new (handlers/login_csrf.hpp).
Response with_form_key(int status, const LoginFormKey& key, std::string page) {
  auto r = Response::html(status, std::move(page));
  if (key.set_cookie) r.header("Set-Cookie", *key.set_cookie);
  // Under the site's no-referrer, browsers send `Origin: null` with a form's POST, which
  // check_login_csrf refuses.  These pages' addresses hold no secret and they link to
  // no other site: same-origin lets their own POST name this site.
  r.set_header("Referrer-Policy", "same-origin");
  return r;
}

Response logged_in(App& app, const Request& req, const UserRecord& user, const i18n::Message& line) {
  // A fresh id at every login (no fixation); a session the browser still had ends.
  if (const auto old = session_cookie_of(req)) accounts::end_session(app, *old);
  const auto id = accounts::start_session(app, user.id);
  app.log().success(line);
  auto r = see_other(app, "/account");
  r.header("Set-Cookie", session_cookie(app, id));
  return r;
}

Caller page_account(App& app, const Request& req) {
  auto c = identify(app, req);
  if (c.via != Caller::Via::session) c.account.reset();
  return c;
}

pages::AccountView view_of(App& app, const Caller& c) {
  return {*c.account, accounts::quota_of(app.config(), *c.account), accounts::csrf_token(c.session_id)};
}

}  // namespace

Response see_other(App& app, const std::string& location) {
  auto r = Response::html(303, pages::see_other(site_of(app), location));
  r.header("Location", location);
  return r;
}

Response signup_page(App& app, Request& req, const Params&) {
  const auto key = login_form_key(app, req);
  return with_form_key(200, key, pages::signup_form(site_of(app), "", "", key.csrf));
}

Response signup_from_form(App& app, Request& req, const Params&) {
  const auto key = login_form_key(app, req);
  const auto body = req.read_body(kMaxFormBody);
  const auto username = form_field(body, "username");
  const auto invite = form_field(body, "invite");
  try {
    check_login_csrf(req, body);
    const auto user = accounts::sign_up(app, username, form_field(body, "password"),
                                        invite.empty() ? std::nullopt : std::optional<std::string>(invite));
    return logged_in(app, req, user, i18n::msg("{} logged in after signing up.", user.username));
  } catch (const Error& e) {
    app.log().error(i18n::msg("signup refused: {} ({}).", e.message(), code_name(e.code())));
    // The name is refilled only when it was a valid one (never 10,000 characters back).
    const bool keep = username.size() <= 32;
    return with_form_key(http::status_of(e.code()), key,
                         pages::signup_form(site_of(app), e.what(), keep ? username : "", key.csrf));
  }
}

Response login_page(App& app, Request& req, const Params&) {
  if (page_account(app, req).account) return see_other(app, "/account");
  const auto key = login_form_key(app, req);
  return with_form_key(200, key, pages::login_form(site_of(app), "", "", key.csrf));
}

Response login_from_form(App& app, Request& req, const Params&) {
  const auto key = login_form_key(app, req);
  const auto body = req.read_body(kMaxFormBody);
  const auto username = form_field(body, "username");
  try {
    check_login_csrf(req, body);
    const auto user = accounts::log_in(app, username, form_field(body, "password"));
    return logged_in(app, req, user, i18n::msg("{} logged in.", user.username));
  } catch (const Error& e) {
    app.log().error(i18n::msg("login refused: {} ({}).", e.message(), code_name(e.code())));
    return with_form_key(http::status_of(e.code()), key,
                         pages::login_form(site_of(app), e.what(), username.size() <= 32 ? username : "", key.csrf));
  }
}

Response logout(App& app, Request& req, const Params&) {
  if (const auto id = session_cookie_of(req)) accounts::end_session(app, *id);
  auto r = see_other(app, "/");
  r.header("Set-Cookie", expired_session_cookie(app));
  return r;
}

Response my_images_page(App& app, Request& req, const Params&) {
  const auto c = page_account(app, req);
  if (!c.account) return see_other(app, "/login");
  const auto p = page_request(app, req.query(), kPageSize, cursor_scope::account_images);
  const auto page = page_of(app, catalog::owned_images(app, c.account->id, p.before, p.limit + 1), p.limit,
                            cursor_scope::account_images);
  // The albums the selected images can be added to: the account's open ones.
  std::vector<AlbumRecord> open;
  for (auto& a : albums::list_owned(app, c.account->id, std::nullopt, kMaxAlbumChoices))
    if (a.status == "open" && !a.expired) open.push_back(std::move(a));
  return Response::html(200,
                        pages::my_images(site_of(app), view_of(app, c), page.items, open, page.next_cursor, !p.before));
}

Response tokens_page(App& app, Request& req, const Params&) {
  const auto c = page_account(app, req);
  if (!c.account) return see_other(app, "/login");
  return Response::html(
      200, pages::tokens(site_of(app), view_of(app, c), accounts::tokens_of(app, c.account->id), std::nullopt));
}

Response create_token_from_form(App& app, Request& req, const Params&) {
  const auto c = page_account(app, req);
  if (!c.account) throw errors::unauthorized(i18n::msg("log in first"));
  const auto body = req.read_body(kMaxFormBody);
  auto name = form_field(body, "name");
  if (name.empty()) name = "API token";
  const auto t = accounts::create_token(app, *c.account, name);
  const pages::CreatedToken created{t.row.name, t.secret, site_address(app, req)};
  return Response::html(201,
                        pages::tokens(site_of(app), view_of(app, c), accounts::tokens_of(app, c.account->id), created));
}

Response revoke_token_confirm_page(App& app, Request& req, const Params& params) {
  const auto c = page_account(app, req);
  if (!c.account) return see_other(app, "/login");
  for (const auto& t : accounts::tokens_of(app, c.account->id))
    if (t.id == params["id"]) return Response::html(200, pages::revoke_token_confirm(site_of(app), view_of(app, c), t));
  throw errors::not_found(i18n::msg("no such token"));
}

// The file holds the token the page showed once: it is checked to be a live token of
// this very account, so the page never hands out a file that cannot upload.
Response sharex_from_form(App& app, Request& req, const Params&) {
  const auto c = page_account(app, req);
  if (!c.account) throw errors::unauthorized(i18n::msg("log in first"));
  const auto body = req.read_body(kMaxFormBody);
  const auto secret = form_field(body, "token");
  const auto owner = accounts::token_user(app, secret);
  if (!owner || owner->user.id != c.account->id)
    throw errors::forbidden(i18n::msg("that is not a live token of this account"));
  auto r = Response::json(200, views::dump(views::sharex_json(site_address(app, req), secret, app.base_url().empty())));
  r.header("Content-Disposition", "attachment; filename=\"imghost.sxcu\"");
  // The answer holds a secret: no cache keeps it.
  r.set_header("Cache-Control", "no-store");
  return r;
}

Response revoke_token_page(App& app, Request& req, const Params& params) {
  const auto c = page_account(app, req);
  if (!c.account) throw errors::unauthorized(i18n::msg("log in first"));
  accounts::revoke_token(app, *c.account, params["id"]);
  return see_other(app, "/account/tokens");
}

}  // namespace imghost::handlers
