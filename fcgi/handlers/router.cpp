#include "handlers/router.hpp"

#include "domain/error.hpp"
#include "handlers/auth.hpp"
#include "render/html.hpp"

namespace imghost::handlers {
namespace {

// Matches `path` against `pattern` segment by segment; a {name} segment matches any
// non-empty segment and is captured.
bool match_pattern(std::string_view pattern, std::string_view path, Params& params) {
  if (pattern.empty() || path.empty() || pattern[0] != '/' || path[0] != '/') return false;
  std::size_t i = 1, j = 1;
  for (;;) {
    const auto pe = std::min(pattern.find('/', i), pattern.size());
    const auto se = std::min(path.find('/', j), path.size());
    const auto want = pattern.substr(i, pe - i), got = path.substr(j, se - j);
    if (want.size() > 2 && want.front() == '{' && want.back() == '}') {
      if (got.empty()) return false;
      params.add(want.substr(1, want.size() - 2), std::string(got));
    } else if (want != got) {
      return false;
    }
    if (pe == pattern.size() || se == path.size()) return pe == pattern.size() && se == path.size();
    i = pe + 1;
    j = se + 1;
  }
}

}  // namespace

bool wants_json(const http::Request& req) {
  return req.path().starts_with("/api/") || req.header("Accept").find("application/json") != std::string_view::npos;
}

std::optional<RouteMatch> match_route(std::string_view method, std::string_view path, std::string* allowed) {
  const std::string_view as = method == "HEAD" ? "GET" : method;
  std::optional<RouteMatch> found;
  for (const auto& route : routes()) {
    Params params;
    bool hit = match_pattern(route.pattern, path, params);
    if (!hit && (route.flags & kSlashTwin) && path.size() > 1 && path.back() == '/') {
      params = {};
      hit = match_pattern(route.pattern, path.substr(0, path.size() - 1), params);
    }
    if (!hit) continue;
    if (route.method == as) {
      if (!found) found = RouteMatch{&route, std::move(params)};
    } else if (allowed && allowed->find(route.method) == std::string::npos) {
      *allowed += (allowed->empty() ? "" : ", ") + std::string(route.method);
    }
  }
  return found;
}

http::Response dispatch(App& app, http::Request& req, const Route** matched) {
  pages::show_admin_link(false);  // until the handler finds an admin behind the request
  std::string allowed;
  auto m = match_route(req.method(), req.path(), &allowed);
  if (m) {
    if (matched) *matched = m->route;
    const auto replay = check_csrf(app, req, (m->route->flags & kUploadBody) != 0);
    return m->route->handler(app, replay ? *replay : req, m->params);
  }
  if (allowed.empty()) throw errors::not_found(i18n::msg("no such page"));
  if (allowed.find("GET") != std::string::npos) allowed += ", HEAD";
  throw errors::method_not_allowed(i18n::msg("use {} for this path", allowed));
}

}  // namespace imghost::handlers
