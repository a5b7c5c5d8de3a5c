#include "handlers/login_csrf.hpp"

#include <fmt/format.h>

#include "core/accounts.hpp"
#include "domain/error.hpp"
#include "domain/naming.hpp"
#include "handlers/auth.hpp"
#include "http/cookies.hpp"

namespace imghost::handlers {
namespace {

// A key this server could have made; anything else is never hashed or compared.
std::optional<std::string_view> form_key_of(const http::Request& req) {
  const auto key = http::cookie_value(req.header("Cookie"), kFormKeyCookie);
  if (!key || key->size() != naming::kTokenChars || !naming::is_base32(*key)) return std::nullopt;
  return key;
}

// A browser's cross-site POST names the other site in Origin, or `null` when the page
// that sends it has no origin of its own (sandboxed iframe, data: URL): both refused.
// No Origin at all (older browsers, non-browser clients) leaves it to the token.
void check_origin(const http::Request& req) {
  const auto origin = req.header("Origin");
  if (origin.empty()) return;
  const auto scheme_end = origin.find("://");
  if (scheme_end == std::string_view::npos || origin.substr(scheme_end + 3) != req.header("Host"))
    throw errors::forbidden(i18n::msg("this form was sent from another site: send it again from this one"));
}

}  // namespace

LoginFormKey login_form_key(const App& app, const http::Request& req) {
  if (const auto key = form_key_of(req)) return {accounts::csrf_token(*key), std::nullopt};
  const auto key = naming::random_base32(naming::kTokenChars);
  const bool https = app.base_url().starts_with("https://");
  // No Max-Age: the key lasts as long as the browser's session, like the open form.
  return {accounts::csrf_token(key),
          fmt::format("{}={}; Path=/; HttpOnly; SameSite=Strict{}", kFormKeyCookie, key, https ? "; Secure" : "")};
}

void check_login_csrf(const http::Request& req, std::string_view body) {
  check_origin(req);
  const auto key = form_key_of(req);
  if (!key || !accounts::csrf_matches(*key, form_field(body, "csrf")))
    throw errors::forbidden(i18n::msg("this form had expired or was not sent from this site: send it again"));
}

}  // namespace imghost::handlers
