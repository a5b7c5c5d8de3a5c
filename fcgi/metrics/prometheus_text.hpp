// The pool's numbers (metrics.hpp) in the Prometheus text format, version 0.0.4: what
// GET /metrics answers (handlers/metrics.cpp).
#pragma once

#include <span>
#include <string>
#include <string_view>

#include "metrics/metrics.hpp"

namespace imghost::metrics {

inline constexpr std::string_view kPrometheusContentType = "text/plain; version=0.0.4; charset=utf-8";

// The labels of a route in imghost_requests_total: the route table's row of the same
// index as count_request()'s route_index (the table lives above this layer).
struct RouteLabels {
  std::string_view method;
  std::string_view pattern;
};

// Every family of `m`, each family's samples together (the text format wants them
// contiguous).  Requests counted under an index past `routes` are left out, except
// kMaxRoutes - 1, "none" (no route matched).
std::string prometheus_text(const Shared& m, std::span<const RouteLabels> routes);

}  // namespace imghost::metrics
