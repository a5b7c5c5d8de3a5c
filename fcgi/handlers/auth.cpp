#include "handlers/auth.hpp"

#include <fmt/format.h>

#include "base/text.hpp"
#include "core/accounts.hpp"
#include "core/moderation.hpp"
#include "domain/error.hpp"
#include "http/cookies.hpp"
#include "http/multipart.hpp"
#include "render/html.hpp"

namespace imghost::handlers {
namespace {

// A request whose body was already read (to find the CSRF field): the handler gets
// the same bytes again.
class ReplayRequest final : public http::Request {
 public:
  ReplayRequest(http::Request& inner, std::string body) : inner_(inner), body_(std::move(body)) {}
  std::string_view method() const override { return inner_.method(); }
  std::string_view path() const override { return inner_.path(); }
  std::string_view query() const override { return inner_.query(); }
  std::string_view header(std::string_view name) const override { return inner_.header(name); }
  void read_body_pieces(std::size_t max_bytes, const std::function<void(std::string_view)>& sink) override {
    if (body_.size() > max_bytes)
      throw errors::too_large(i18n::msg("the request body is over the limit of {} bytes", max_bytes));
    for (std::size_t at = 0; at < body_.size(); at += kBodyPiece) sink(std::string_view(body_).substr(at, kBodyPiece));
  }

 private:
  http::Request& inner_;
  std::string body_;
};

bool unsafe(std::string_view method) { return method != "GET" && method != "HEAD"; }

std::string csrf_in_body(const http::Request& req, const std::string& body) {
  const auto type = req.header("Content-Type");
  if (type.starts_with("application/x-www-form-urlencoded")) return form_field(body, "csrf");
  if (const auto boundary = multipart::boundary_from_content_type(type)) {
    try {
      for (const auto& p : multipart::parse(body, *boundary))
        if (p.name == "csrf" && !p.filename) return std::string(p.body);
    } catch (const multipart::ParseError&) {
      // No token found; the handler reports the malformed body if it gets that far.
    }
  }
  return {};
}

}  // namespace

std::optional<std::string_view> bearer_token(const http::Request& req) {
  const auto h = req.header("Authorization");
  if (h.empty()) return std::nullopt;
  constexpr std::string_view kScheme = "Bearer ";
  if (h.size() <= kScheme.size() || !text::ascii_iequals(h.substr(0, kScheme.size()), kScheme))
    throw errors::unauthorized(i18n::msg("expected 'Authorization: Bearer <token>'"));
  auto token = h.substr(kScheme.size());
  while (!token.empty() && token.front() == ' ') token.remove_prefix(1);
  while (!token.empty() && token.back() == ' ') token.remove_suffix(1);
  return token;
}

Caller identify(App& app, const http::Request& req) {
  auto c = imghost::identify(app, bearer_token(req), http::cookie_value(req.header("Cookie"), kSessionCookie));
  // An admin's pages link to the admin area (render/html.hpp; the router cleared it).
  if (moderation::is_admin(c)) pages::show_admin_link(true);
  return c;
}

void note_admin_viewer(App& app, const http::Request& req) {
  const auto cookie = http::cookie_value(req.header("Cookie"), kSessionCookie);
  if (!cookie) return;
  if (const auto user = accounts::session_user(app, *cookie); user && user->is_admin && !user->disabled)
    pages::show_admin_link(true);
}

Caller require_account(App& app, const http::Request& req) {
  auto c = identify(app, req);
  if (!c.account) throw errors::unauthorized(i18n::msg("log in or send 'Authorization: Bearer <token>'"));
  return c;
}

std::unique_ptr<http::Request> check_csrf(App& app, http::Request& req, bool streamed_body) {
  if (!unsafe(req.method()) || !req.header("Authorization").empty()) return nullptr;
  const auto cookie = http::cookie_value(req.header("Cookie"), kSessionCookie);
  if (!cookie || !accounts::session_user(app, *cookie)) return nullptr;
  if (const auto header = req.header("X-CSRF-Token"); !header.empty()) {
    if (accounts::csrf_matches(*cookie, header)) return nullptr;
    throw errors::forbidden(i18n::msg("wrong CSRF token: reload the page and try again"));
  }
  if (streamed_body) return nullptr;
  std::string body = req.read_body(app.config().max_request_bytes);
  check_csrf_field(*cookie, csrf_in_body(req, body));
  return std::make_unique<ReplayRequest>(req, std::move(body));
}

std::optional<std::string> csrf_field_needed(const Caller& caller, const http::Request& req) {
  if (caller.via != Caller::Via::session || !unsafe(req.method()) || !req.header("X-CSRF-Token").empty())
    return std::nullopt;
  return caller.session_id;
}

void check_csrf_field(std::string_view session_id, std::string_view given) {
  if (!accounts::csrf_matches(session_id, given))
    throw errors::forbidden(i18n::msg("missing or wrong CSRF token: reload the page and try again"));
}

void throw_csrf_field_missing() {
  throw errors::forbidden(i18n::msg("missing CSRF token before the files: reload the page and try again"));
}

std::optional<std::string> session_cookie_of(const http::Request& req) {
  const auto v = http::cookie_value(req.header("Cookie"), kSessionCookie);
  if (!v) return std::nullopt;
  return std::string(*v);
}

std::string session_cookie(const App& app, const std::string& session_id) {
  const bool https = app.base_url().starts_with("https://");
  return fmt::format("{}={}; Path=/; Max-Age={}; HttpOnly; SameSite=Lax{}", kSessionCookie, session_id,
                     static_cast<long long>(app.config().session_days) * 86400, https ? "; Secure" : "");
}

std::string expired_session_cookie(const App& app) {
  const bool https = app.base_url().starts_with("https://");
  return fmt::format("{}=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax{}", kSessionCookie, https ? "; Secure" : "");
}

std::string form_field(std::string_view body, std::string_view name) {
  std::string out;
  // The same syntax as a query string (application/x-www-form-urlencoded).
  if (!text::query_param(body, name, out)) return {};
  return out;
}

}  // namespace imghost::handlers
