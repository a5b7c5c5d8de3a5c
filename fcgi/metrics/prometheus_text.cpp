#include "metrics/prometheus_text.hpp"

#include <fmt/format.h>

#include "domain/error.hpp"

namespace imghost::metrics {
namespace {

void family(std::string& out, std::string_view name, std::string_view type, std::string_view help) {
  out += fmt::format("# HELP {} {}\n# TYPE {} {}\n", name, help, name, type);
}

std::string status_label(std::size_t slot) {
  return slot < std::size(kStatuses) ? std::to_string(kStatuses[slot]) : "other";
}

std::string outcome_label(std::size_t slot) {
  if (slot == 0) return "stored";
  if (slot == kOutcomeSlots - 1) return "internal";
  return std::string(code_name(static_cast<ErrorCode>(slot - 1)));
}

void histogram(std::string& out, std::string_view name, std::string_view help, const HistogramData& h) {
  family(out, name, "histogram", help);
  std::uint64_t cumulative = 0;
  for (std::size_t b = 0; b < kBucketSlots; ++b) {
    cumulative += h.buckets[b].load(std::memory_order_relaxed);
    const auto le = b < std::size(kBuckets) ? fmt::format("{}", kBuckets[b]) : std::string("+Inf");
    out += fmt::format("{}_bucket{{le=\"{}\"}} {}\n", name, le, cumulative);
  }
  out += fmt::format("{}_sum {:.9f}\n", name, static_cast<double>(h.sum_ns.load(std::memory_order_relaxed)) / 1e9);
  out += fmt::format("{}_count {}\n", name, h.count.load(std::memory_order_relaxed));
}

}  // namespace

std::string prometheus_text(const Shared& m, std::span<const RouteLabels> routes) {
  std::string out;

  family(out, "imghost_requests_total", "counter", "Requests answered by the workers, by route (pattern) and status.");
  for (std::size_t r = 0; r < kMaxRoutes; ++r) {
    const bool known = r < routes.size();
    if (!known && r != kMaxRoutes - 1) continue;
    for (std::size_t s = 0; s < kStatusSlots; ++s) {
      const auto n = m.requests[r][s].load(std::memory_order_relaxed);
      if (n == 0) continue;
      out += fmt::format("imghost_requests_total{{method=\"{}\",route=\"{}\",status=\"{}\"}} {}\n",
                         known ? routes[r].method : "", known ? routes[r].pattern : "none", status_label(s), n);
    }
  }

  family(out, "imghost_uploads_total", "counter", "Upload requests by outcome: stored, or the error code.");
  for (std::size_t o = 0; o < kOutcomeSlots; ++o)
    out += fmt::format("imghost_uploads_total{{outcome=\"{}\"}} {}\n", outcome_label(o),
                       m.uploads[o].load(std::memory_order_relaxed));

  family(out, "imghost_stored_bytes_total", "counter", "Bytes of new files written to the store.");
  out += fmt::format("imghost_stored_bytes_total {}\n", m.stored_bytes.load(std::memory_order_relaxed));
  family(out, "imghost_uploaded_bytes_total", "counter", "Bytes of images stored, deduplicated or not.");
  out += fmt::format("imghost_uploaded_bytes_total {}\n", m.uploaded_bytes.load(std::memory_order_relaxed));
  family(out, "imghost_stored_total", "counter", "Images and videos stored, deduplicated or not.");
  out += fmt::format("imghost_stored_total{{kind=\"image\"}} {}\n", m.stored_items[0].load(std::memory_order_relaxed));
  out += fmt::format("imghost_stored_total{{kind=\"video\"}} {}\n", m.stored_items[1].load(std::memory_order_relaxed));

  histogram(out, "imghost_decode_seconds", "Time to validate and decode one uploaded file.",
            m.histograms[static_cast<std::size_t>(Histogram::decode)]);
  histogram(out, "imghost_store_write_seconds", "Time to write one new file durably into the store.",
            m.histograms[static_cast<std::size_t>(Histogram::store_write)]);
  histogram(out, "imghost_database_seconds", "Time of one PostgreSQL statement.",
            m.histograms[static_cast<std::size_t>(Histogram::database)]);

  family(out, "imghost_worker_restarts_total", "counter", "Workers that died and were replaced by the supervisor.");
  out += fmt::format("imghost_worker_restarts_total {}\n", m.worker_restarts.load(std::memory_order_relaxed));
  const auto configured = m.workers_configured.load(std::memory_order_relaxed);
  family(out, "imghost_workers", "gauge", "Worker processes the pool runs.");
  out += fmt::format("imghost_workers {}\n", configured);
  // Each family's samples together (the text format wants them contiguous).
  struct PerWorker {
    const char* name;
    const char* type;
    const char* help;
    long long (*value)(const WorkerSlot&);
  };
  const PerWorker per_worker[] = {
      {"imghost_worker_up", "gauge", "1 while a worker process runs in this slot.",
       [](const WorkerSlot& s) -> long long { return s.pid.load() != 0 ? 1 : 0; }},
      {"imghost_worker_db_connected", "gauge", "1 while the worker holds a live PostgreSQL connection.",
       [](const WorkerSlot& s) -> long long { return s.db_connected.load(); }},
      {"imghost_worker_busy", "gauge", "1 while the worker handles a request.",
       [](const WorkerSlot& s) -> long long { return s.busy.load(); }},
      {"imghost_worker_requests_total", "counter", "Requests handled by the worker in this slot.",
       [](const WorkerSlot& s) -> long long { return static_cast<long long>(s.requests.load()); }},
  };
  for (const auto& f : per_worker) {
    family(out, f.name, f.type, f.help);
    for (std::size_t w = 0; w < configured && w < kMaxWorkers; ++w)
      out += fmt::format("{}{{worker=\"{}\"}} {}\n", f.name, w, f.value(m.workers[w]));
  }
  return out;
}

}  // namespace imghost::metrics
