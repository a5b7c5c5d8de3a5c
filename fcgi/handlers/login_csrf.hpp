// Login CSRF: the login and signup forms are posted before any session exists, so the
// session's CSRF token (handlers/auth.hpp) cannot guard them, and a forged post would
// log a visitor into the attacker's account, where the visitor's later uploads land.
//
// They carry a pre-session token instead.  Serving the form gives the browser a form
// key: 160 random bits in a cookie of its own (HttpOnly: no script reads it;
// SameSite=Strict: no request another site starts carries it).  The form's hidden field
// `csrf` holds the key's token (a hash of it, accounts::csrf_token), and a POST must
// bring both, compared in constant time.  The Origin header is checked too, but is not
// relied on alone: when sent it must name this site, and `Origin: null` (a sandboxed
// frame, a data: document) is refused.
//
// The JSON routes that take a password (POST /api/v1/users, /api/v1/tokens) set no
// cookie: a forged call logs no browser in, and they stay open to any API client.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/app.hpp"
#include "http/request.hpp"

namespace imghost::handlers {

inline constexpr std::string_view kFormKeyCookie = "imghost_form_key";

// What a login or signup page needs: the hidden field's token, and the Set-Cookie value
// to send when the browser had no well-formed key (a new one was made).
struct LoginFormKey {
  std::string csrf;
  std::optional<std::string> set_cookie;
};
LoginFormKey login_form_key(const App& app, const http::Request& req);

// Throws forbidden unless the POST whose form body is `body` comes from this site's
// login or signup form: Origin absent or this site's, and the field `csrf` the token of
// the form key cookie.
void check_login_csrf(const http::Request& req, std::string_view body);

}  // namespace imghost::handlers
