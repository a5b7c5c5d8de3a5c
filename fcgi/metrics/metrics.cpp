#include "metrics/metrics.hpp"

#include <sys/mman.h>
#include <unistd.h>

#include <cerrno>
#include <new>
#include <system_error>

namespace imghost::metrics {
namespace {

Shared* g_block = nullptr;
int g_slot = -1;  // this worker's slot; -1 in the supervisor and outside the pool

WorkerSlot* own_slot() noexcept {
  if (!g_block || g_slot < 0) return nullptr;
  return &g_block->workers[g_slot];
}

}  // namespace

void create(unsigned workers_configured) {
  void* p = mmap(nullptr, sizeof(Shared), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1, 0);
  if (p == MAP_FAILED) throw std::system_error(errno, std::generic_category(), "mmap of the metrics block");
  // An anonymous mapping is zero-filled, and a zero atomic is a valid zero counter; the
  // placement new only makes that official for the compiler.
  g_block = new (p) Shared();
  g_block->workers_configured = workers_configured;
}

const Shared* shared() noexcept { return g_block; }

void become_worker(unsigned slot) noexcept {
  if (!g_block || slot >= kMaxWorkers) return;
  g_slot = static_cast<int>(slot);
  auto& w = g_block->workers[slot];
  w.pid = static_cast<std::int32_t>(getpid());
  w.db_connected = 0;
  w.busy = 0;
}

void worker_gone(unsigned slot, bool restarted) noexcept {
  if (!g_block || slot >= kMaxWorkers) return;
  auto& w = g_block->workers[slot];
  w.pid = 0;
  w.db_connected = 0;
  w.busy = 0;
  if (restarted) g_block->worker_restarts.fetch_add(1, std::memory_order_relaxed);
}

std::size_t status_slot(int status) noexcept {
  for (std::size_t i = 0; i < std::size(kStatuses); ++i)
    if (kStatuses[i] == status) return i;
  return std::size(kStatuses);
}

void count_request(std::size_t route_index, int status) noexcept {
  if (!g_block) return;
  if (route_index >= kMaxRoutes) route_index = kMaxRoutes - 1;
  g_block->requests[route_index][status_slot(status)].fetch_add(1, std::memory_order_relaxed);
  if (auto* w = own_slot()) w->requests.fetch_add(1, std::memory_order_relaxed);
}

void count_upload(std::size_t outcome_slot) noexcept {
  if (!g_block || outcome_slot >= kOutcomeSlots) return;
  g_block->uploads[outcome_slot].fetch_add(1, std::memory_order_relaxed);
}

void add_stored_bytes(std::uint64_t stored, std::uint64_t uploaded) noexcept {
  if (!g_block) return;
  g_block->stored_bytes.fetch_add(stored, std::memory_order_relaxed);
  g_block->uploaded_bytes.fetch_add(uploaded, std::memory_order_relaxed);
}

void count_stored(std::uint64_t images, std::uint64_t videos) noexcept {
  if (!g_block) return;
  g_block->stored_items[0].fetch_add(images, std::memory_order_relaxed);
  g_block->stored_items[1].fetch_add(videos, std::memory_order_relaxed);
}

void observe(Histogram h, std::chrono::nanoseconds d) noexcept {
  if (!g_block) return;
  auto& data = g_block->histograms[static_cast<std::size_t>(h)];
  const double seconds = std::chrono::duration<double>(d).count();
  std::size_t b = 0;
  while (b < std::size(kBuckets) && seconds > kBuckets[b]) ++b;
  data.buckets[b].fetch_add(1, std::memory_order_relaxed);
  data.count.fetch_add(1, std::memory_order_relaxed);
  data.sum_ns.fetch_add(static_cast<std::uint64_t>(d.count() < 0 ? 0 : d.count()), std::memory_order_relaxed);
}

void set_db_connected(bool connected) noexcept {
  if (auto* w = own_slot()) w->db_connected = connected ? 1 : 0;
}

void set_busy(bool busy) noexcept {
  if (auto* w = own_slot()) w->busy = busy ? 1 : 0;
}

}  // namespace imghost::metrics
