// The route table: every method and path the workers answer, as data (redis's command
// table is the model).  The router matches a request against it; `imghost-admin routes`
// prints it, and a test holds nginx's site (which paths may carry an upload's body) and
// docs/openapi.yaml (every /api/ route) to it.
#pragma once

#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/app.hpp"
#include "http/request.hpp"
#include "http/response.hpp"

namespace imghost::handlers {

// The values of a pattern's {name} segments, by name.
class Params {
 public:
  void add(std::string_view name, std::string value) { values_.emplace_back(name, std::move(value)); }
  // The value of {name}; "" if the pattern has no such segment.
  const std::string& operator[](std::string_view name) const;

 private:
  std::vector<std::pair<std::string_view, std::string>> values_;
};

// Returns the whole response or throws imghost::Error (or db::DbError /
// std::system_error, which the worker answers with 503).
using Handler = http::Response (*)(App& app, http::Request& req, const Params& params);

enum RouteFlag : unsigned {
  kUploadBody = 1u << 0,  // nginx lets a body of max_request_size through (elsewhere 64 KiB)
  kSlashTwin = 1u << 1,   // the path with a trailing '/' is the same route
  kFallback = 1u << 2,    // reached only through nginx's fallback (a file not on disk)
  kInternal = 1u << 3,    // reached only through nginx's error_page; `internal` in nginx
  kPrivate = 1u << 4,     // only on nginx's private metrics listener; the public site answers 404
};

struct Route {
  std::string_view method;   // "GET" (which HEAD also takes), "POST", "DELETE", "PATCH"
  std::string_view pattern;  // "/api/v1/images/{id}/file": {name} matches one non-empty segment
  Handler handler;
  unsigned flags;
  std::string_view summary;  // one line, for `imghost-admin routes`
};

std::span<const Route> routes();

}  // namespace imghost::handlers
