// The JSON API of accounts: signup, API tokens, the account, the ShareX uploader file
// (its images and their edit: images_api.cpp).
#include <fmt/format.h>

#include "core/accounts.hpp"
#include "domain/error.hpp"
#include "domain/free_text.hpp"
#include "handlers/auth.hpp"
#include "handlers/handlers.hpp"
#include "handlers/json_members.hpp"
#include "render/json.hpp"

namespace imghost::handlers {

nlohmann::json object_body(Request& req) {
  constexpr std::size_t kMaxJsonBody = 64u << 10;  // nginx's limit outside the upload routes
  const auto body = req.read_body(kMaxJsonBody);
  auto j = nlohmann::json::parse(body, nullptr, false);
  if (j.is_discarded() || !j.is_object()) throw errors::bad_request(i18n::msg("expected a JSON object in the body"));
  return j;
}

namespace {

nlohmann::json new_token_json(const accounts::NewToken& t) {
  return {{"id", t.row.id}, {"token", t.secret}, {"name", t.row.name}, {"created_at", t.row.created_at}};
}

}  // namespace

std::string site_address(App& app, const Request& req) {
  if (!app.base_url().empty()) return app.base_url();
  const auto host = req.header("Host");
  const bool plain = !host.empty() && host.size() <= 255 &&
                     host.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789.-:[]") ==
                         std::string_view::npos;
  return "http://" + (plain ? std::string(host) : std::string("localhost"));
}

Response create_user(App& app, Request& req, const Params&) {
  const auto body = object_body(req);
  const auto username = required_string(body, "username");
  const auto password = required_string(body, "password");
  const auto user = accounts::sign_up(app, username, password, optional_string(body, "invite"));
  return Response::json(201, views::dump(views::user_json(user, accounts::quota_of(app.config(), user))));
}

Response create_token(App& app, Request& req, const Params&) {
  // With a session (the CSRF rule applies) or a token, or with a username and password
  // in the body (a script's first step; nginx rate-limits this route like a login).
  auto caller = identify(app, req);
  const auto body = req.header("Content-Length") == "0" ? nlohmann::json::object() : object_body(req);
  UserRecord user;
  if (caller.account) {
    user = *caller.account;
  } else if (body.contains("username") || body.contains("password")) {
    user = accounts::log_in(app, required_string(body, "username"), required_string(body, "password"));
  } else {
    throw errors::unauthorized(
        i18n::msg("log in, send 'Authorization: Bearer <token>', or give username and password"));
  }
  const auto name = optional_string(body, "name").value_or("API token");
  const auto token = accounts::create_token(app, user, name);
  return Response::json(201, views::dump(new_token_json(token)));
}

Response list_tokens(App& app, Request& req, const Params&) {
  const auto caller = require_account(app, req);
  nlohmann::json items = nlohmann::json::array();
  for (const auto& t : accounts::tokens_of(app, caller.account->id)) items.push_back(views::token_json(t));
  return Response::json(200, views::dump({{"items", std::move(items)}}));
}

Response revoke_token(App& app, Request& req, const Params& params) {
  const auto caller = require_account(app, req);
  accounts::revoke_token(app, *caller.account, params["id"]);
  Response r;
  r.status = 204;
  return r;
}

Response me(App& app, Request& req, const Params&) {
  const auto caller = require_account(app, req);
  return Response::json(
      200, views::dump(views::user_json(*caller.account, accounts::quota_of(app.config(), *caller.account))));
}

Response sharex(App& app, Request& req, const Params&) {
  // The file holds a token: the one this request came with.  A browser session has no
  // token to give; its tokens page makes one and offers the file with it.
  const auto caller = require_account(app, req);
  // A browser's session has no token to put in the file: its tokens page makes one and
  // downloads the file for it (POST /account/tokens/sharex).
  if (caller.via == Caller::Via::session) return see_other(app, "/account/tokens");
  if (caller.via != Caller::Via::token)
    throw errors::unauthorized(i18n::msg("send 'Authorization: Bearer <token>': the file carries that token"));
  const auto token = bearer_token(req);
  auto r = Response::json(
      200, views::dump(views::sharex_json(site_address(app, req), std::string(*token), app.base_url().empty())));
  r.header("Content-Disposition", "attachment; filename=\"imghost.sxcu\"");
  return r;
}

}  // namespace imghost::handlers
