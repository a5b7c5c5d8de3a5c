// Finds the route of a request in the route table (routes.hpp) and runs its handler.
#pragma once

#include <optional>

#include "core/app.hpp"
#include "handlers/routes.hpp"
#include "http/request.hpp"
#include "http/response.hpp"

namespace imghost::handlers {

// Whether errors of this request are answered as API JSON (else as an HTML page):
// every /api/ path, and any request that asks for JSON.
bool wants_json(const http::Request& req);

// The route of `method` and `path` with its parameters, or nullopt.  HEAD takes GET's
// routes.  `allowed` (if given) collects the methods of the routes whose pattern
// matches the path, for a 405's Allow header.
struct RouteMatch {
  const Route* route;
  Params params;
};
std::optional<RouteMatch> match_route(std::string_view method, std::string_view path, std::string* allowed = nullptr);

// Runs the handler for the request, after the CSRF rule (handlers/auth.hpp).  Throws
// Error not_found (no pattern matches the path) or method_not_allowed (patterns match,
// methods do not), forbidden (CSRF), and whatever the handler throws.  `matched` (if
// given) is set to the route before anything can throw, for the metrics.
http::Response dispatch(App& app, http::Request& req, const Route** matched = nullptr);

}  // namespace imghost::handlers
