// GET /metrics: the pool's numbers in the Prometheus text format
// (metrics/prometheus_text.hpp).  Answered only on nginx's private metrics listener,
// which marks its requests with X-Imghost-Listener: metrics (the public server
// overwrites that header with "public" on every request and answers /metrics with 404
// itself).
#include <vector>

#include "domain/error.hpp"
#include "handlers/handlers.hpp"
#include "metrics/metrics.hpp"
#include "metrics/prometheus_text.hpp"

namespace imghost::handlers {

Response metrics(App&, Request& req, const Params&) {
  if (req.header("X-Imghost-Listener") != "metrics") throw errors::not_found(i18n::msg("no such page"));
  const metrics::Shared* m = metrics::shared();
  if (!m) throw errors::unavailable(i18n::msg("no metrics in this process"));
  std::vector<metrics::RouteLabels> labels;
  for (const auto& route : routes()) labels.push_back({route.method, route.pattern});

  Response r;
  r.status = 200;
  r.header("Content-Type", std::string(metrics::kPrometheusContentType));
  r.header("Cache-Control", "no-store");
  r.body = metrics::prometheus_text(*m, labels);
  return r;
}

}  // namespace imghost::handlers
