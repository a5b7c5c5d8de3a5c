// GET /metrics: the pool's numbers (metrics/metrics.hpp) in the Prometheus text format,
// version 0.0.4.  Answered only on nginx's private metrics listener, which marks its
// requests with X-Imghost-Listener: metrics (the public server overwrites that header
// with "public" on every request and answers /metrics with 404 itself).
#include <fmt/format.h>

#include "domain/error.hpp"
#include "handlers/handlers.hpp"
#include "metrics/metrics.hpp"

namespace imghost::handlers {
namespace {

void family(std::string& out, std::string_view name, std::string_view type, std::string_view help) {
  out += fmt::format("# HELP {} {}\n# TYPE {} {}\n", name, help, name, type);
}

std::string status_label(std::size_t slot) {
  return slot < std::size(metrics::kStatuses) ? std::to_string(metrics::kStatuses[slot]) : "other";
}

std::string outcome_label(std::size_t slot) {
  if (slot == 0) return "stored";
  if (slot == metrics::kOutcomeSlots - 1) return "internal";
  return std::string(code_name(static_cast<ErrorCode>(slot - 1)));
}

void histogram(std::string& out, std::string_view name, std::string_view help, const metrics::HistogramData& h) {
  family(out, name, "histogram", help);
  std::uint64_t cumulative = 0;
  for (std::size_t b = 0; b < metrics::kBucketSlots; ++b) {
    cumulative += h.buckets[b].load(std::memory_order_relaxed);
    const auto le = b < std::size(metrics::kBuckets) ? fmt::format("{}", metrics::kBuckets[b]) : std::string("+Inf");
    out += fmt::format("{}_bucket{{le=\"{}\"}} {}\n", name, le, cumulative);
  }
  out += fmt::format("{}_sum {:.9f}\n", name, static_cast<double>(h.sum_ns.load(std::memory_order_relaxed)) / 1e9);
  out += fmt::format("{}_count {}\n", name, h.count.load(std::memory_order_relaxed));
}

}  // namespace

Response metrics(App&, Request& req, const Params&) {
  if (req.header("X-Imghost-Listener") != "metrics") throw errors::not_found("no such page");
  const metrics::Shared* m = metrics::shared();
  if (!m) throw errors::unavailable("no metrics in this process");
  const auto table = routes();
  std::string out;

  family(out, "imghost_requests_total", "counter", "Requests answered by the workers, by route (pattern) and status.");
  for (std::size_t r = 0; r < metrics::kMaxRoutes; ++r) {
    const bool known = r < table.size();
    if (!known && r != metrics::kMaxRoutes - 1) continue;
    for (std::size_t s = 0; s < metrics::kStatusSlots; ++s) {
      const auto n = m->requests[r][s].load(std::memory_order_relaxed);
      if (n == 0) continue;
      out += fmt::format("imghost_requests_total{{method=\"{}\",route=\"{}\",status=\"{}\"}} {}\n",
                         known ? table[r].method : "", known ? table[r].pattern : "none", status_label(s), n);
    }
  }

  family(out, "imghost_uploads_total", "counter", "Upload requests by outcome: stored, or the error code.");
  for (std::size_t o = 0; o < metrics::kOutcomeSlots; ++o)
    out += fmt::format("imghost_uploads_total{{outcome=\"{}\"}} {}\n", outcome_label(o),
                       m->uploads[o].load(std::memory_order_relaxed));

  family(out, "imghost_stored_bytes_total", "counter", "Bytes of new files written to the store.");
  out += fmt::format("imghost_stored_bytes_total {}\n", m->stored_bytes.load(std::memory_order_relaxed));
  family(out, "imghost_uploaded_bytes_total", "counter", "Bytes of images stored, deduplicated or not.");
  out += fmt::format("imghost_uploaded_bytes_total {}\n", m->uploaded_bytes.load(std::memory_order_relaxed));

  histogram(out, "imghost_decode_seconds", "Time to validate and decode one uploaded file.",
            m->histograms[static_cast<std::size_t>(metrics::Histogram::decode)]);
  histogram(out, "imghost_store_write_seconds", "Time to write one new file durably into the store.",
            m->histograms[static_cast<std::size_t>(metrics::Histogram::store_write)]);
  histogram(out, "imghost_database_seconds", "Time of one PostgreSQL statement.",
            m->histograms[static_cast<std::size_t>(metrics::Histogram::database)]);

  family(out, "imghost_worker_restarts_total", "counter", "Workers that died and were replaced by the supervisor.");
  out += fmt::format("imghost_worker_restarts_total {}\n", m->worker_restarts.load(std::memory_order_relaxed));
  const auto configured = m->workers_configured.load(std::memory_order_relaxed);
  family(out, "imghost_workers", "gauge", "Worker processes the pool runs.");
  out += fmt::format("imghost_workers {}\n", configured);
  // Each family's samples together (the text format wants them contiguous).
  struct PerWorker {
    const char* name;
    const char* type;
    const char* help;
    long long (*value)(const metrics::WorkerSlot&);
  };
  const PerWorker per_worker[] = {
      {"imghost_worker_up", "gauge", "1 while a worker process runs in this slot.",
       [](const metrics::WorkerSlot& s) -> long long { return s.pid.load() != 0 ? 1 : 0; }},
      {"imghost_worker_db_connected", "gauge", "1 while the worker holds a live PostgreSQL connection.",
       [](const metrics::WorkerSlot& s) -> long long { return s.db_connected.load(); }},
      {"imghost_worker_busy", "gauge", "1 while the worker handles a request.",
       [](const metrics::WorkerSlot& s) -> long long { return s.busy.load(); }},
      {"imghost_worker_requests_total", "counter", "Requests handled by the worker in this slot.",
       [](const metrics::WorkerSlot& s) -> long long { return static_cast<long long>(s.requests.load()); }},
  };
  for (const auto& f : per_worker) {
    family(out, f.name, f.type, f.help);
    for (std::size_t w = 0; w < configured && w < metrics::kMaxWorkers; ++w)
      out += fmt::format("{}{{worker=\"{}\"}} {}\n", f.name, w, f.value(m->workers[w]));
  }

  Response r;
  r.status = 200;
  r.header("Content-Type", "text/plain; version=0.0.4; charset=utf-8");
  r.header("Cache-Control", "no-store");
  r.body = std::move(out);
  return r;
}

}  // namespace imghost::handlers
