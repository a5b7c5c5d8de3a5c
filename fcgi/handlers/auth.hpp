// Who is asking, from the HTTP side: a request's `Authorization: Bearer <token>` and
// its session cookie, handed to core/identity.hpp; and the CSRF rule for requests that a
// cookie authenticates.
//
// CSRF: a cross-site page can make a browser send its cookies (ambient credentials),
// never an Authorization header.  So every unsafe request (not GET or HEAD) that carries
// a live session cookie and no Authorization header must also carry the session's CSRF
// token, in the `X-CSRF-Token` header or the form field `csrf` (urlencoded or
// multipart); without it the request is 403 before any handler runs (check_csrf, called
// by the router).  Requests without the cookie (anonymous forms, curl) or with a Bearer
// token carry no ambient credential and are not checked.
//
// An upload's body is never read whole to find the field: its route streams it, and the
// form's `csrf` field must come before its first file (the page's form puts the hidden
// input first), so a forged upload is refused after reading that field, before any file
// is written.  The upload handler checks it as the body streams (csrf_field_needed,
// check_csrf_field).
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "core/app.hpp"
#include "core/identity.hpp"
#include "http/request.hpp"
#include "http/response.hpp"

namespace imghost::handlers {

inline constexpr std::string_view kSessionCookie = "imghost_session";

// The caller of `req` (core/identity.hpp).  A Bearer token that is not a live token of
// an enabled account throws unauthorized (a revoked token never silently becomes an
// anonymous upload); a session cookie that is not live is ignored (anonymous).  An
// Authorization header that is not `Bearer <token>` throws unauthorized.
Caller identify(App& app, const http::Request& req);
// For a page that needs no caller but shows the header's admin link to an admin
// (render/html.hpp: show_admin_link): looks at the session cookie only, never throws
// for a credential, and costs nothing without the cookie.
void note_admin_viewer(App& app, const http::Request& req);
// Same as identify, and throws unauthorized when there is no account.
Caller require_account(App& app, const http::Request& req);
// The token of an `Authorization: Bearer <token>` header (spaces around it dropped), or
// nullopt without the header; throws unauthorized when the header is another scheme.
std::optional<std::string_view> bearer_token(const http::Request& req);

// The CSRF rule above.  Returns nullptr when the handler reads `req` as it is, or, when
// the token had to be looked for in the body, a request that replays the body it read.  Throws forbidden when the token
// is missing or wrong.  With `streamed_body` (an upload's route) the body is not read: a token that is not in the
// header is left to the handler (csrf_field_needed).
std::unique_ptr<http::Request> check_csrf(App& app, http::Request& req, bool streamed_body);

// For a streamed body: the session whose CSRF token the body's field `csrf` must carry
// (the caller came by a session cookie and sent no X-CSRF-Token header, which check_csrf
// has checked when sent), or nullopt when the body needs none.
std::optional<std::string> csrf_field_needed(const Caller& caller, const http::Request& req);
// Throws forbidden unless `given` is the CSRF token of `session_id` (constant time).
void check_csrf_field(std::string_view session_id, std::string_view given);
// Throws forbidden: a body that must carry the CSRF field ended, or reached a file,
// without it.
[[noreturn]] void throw_csrf_field_missing();

// The session cookie's value as sent (live or not), or nullopt.
std::optional<std::string> session_cookie_of(const http::Request& req);

// Set-Cookie values: the session, for the configured session_days, and its removal.  `Secure` when the site's
// public base URL is https.
std::string session_cookie(const App& app, const std::string& session_id);
std::string expired_session_cookie(const App& app);

// A field of an application/x-www-form-urlencoded body ("" when absent or malformed).
std::string form_field(std::string_view body, std::string_view name);

}  // namespace imghost::handlers
