// The numbers behind GET /metrics, shared by every process of the pool.
//
// One block of lock-free atomic counters in an anonymous MAP_SHARED mapping, made by
// the supervisor before it forks the workers (create()), so every worker inherits it at
// the same address: each worker adds to it, and whichever worker answers /metrics reads
// the whole pool's numbers.  std::atomic<uint64_t> is lock-free and address-free on the
// platforms we build for (static_assert below), which is what makes it safe across
// processes.  The supervisor counts worker restarts in the same block.
//
// Every recording function is a no-op until create() ran in this process or an
// ancestor (unit tests, imghost-admin), and never throws.
#pragma once

#include <atomic>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "domain/error.hpp"

namespace imghost::metrics {

// The route table's rows, plus "none" (handlers/routes.cpp asserts that the table fits).
inline constexpr std::size_t kMaxRoutes = 128;
inline constexpr std::size_t kMaxWorkers = 256;
// The statuses counted one by one; anything else is counted as "other".
inline constexpr int kStatuses[] = {200, 201, 204, 301, 302, 303, 304, 400, 401, 403, 404, 405,
                                    409, 410, 413, 415, 422, 429, 451, 500, 501, 502, 503, 504};
inline constexpr std::size_t kStatusSlots = std::size(kStatuses) + 1;
// Upload outcomes: "stored", then the error codes (domain/error.hpp's order), "internal".
inline constexpr std::size_t kOutcomeSlots = 19;
static_assert(kOutcomeSlots == 1 + (static_cast<std::size_t>(ErrorCode::unavailable) + 1) + 1,
              "one upload outcome slot for stored, one per ErrorCode (unavailable is its last), one for internal");

enum class Histogram { decode, store_write, database };
inline constexpr std::size_t kHistograms = 3;
static_assert(kHistograms == static_cast<std::size_t>(Histogram::database) + 1, "one histogram per Histogram value");
// Upper bounds in seconds (Prometheus `le`), then +Inf.
inline constexpr double kBuckets[] = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10};
inline constexpr std::size_t kBucketSlots = std::size(kBuckets) + 1;

using Counter = std::atomic<std::uint64_t>;
static_assert(Counter::is_always_lock_free, "counters shared between processes must be lock-free");

struct HistogramData {
  Counter buckets[kBucketSlots];  // not cumulative: each observation counts in one bucket
  Counter count;
  Counter sum_ns;
};

struct WorkerSlot {
  std::atomic<std::int32_t> pid;           // 0: no worker in this slot
  std::atomic<std::int32_t> db_connected;  // 1 while it holds a live PostgreSQL connection
  std::atomic<std::int32_t> busy;          // 1 while it handles a request
  Counter requests;
};

struct Shared {
  Counter requests[kMaxRoutes][kStatusSlots];  // [route index or kMaxRoutes-1: none][status]
  Counter uploads[kOutcomeSlots];
  Counter stored_bytes;     // new files written to the store
  Counter uploaded_bytes;   // images stored, deduplicated or not
  Counter stored_items[2];  // images and videos stored, deduplicated or not: [0] images, [1] videos
  HistogramData histograms[kHistograms];
  Counter worker_restarts;
  std::atomic<std::uint32_t> workers_configured;
  WorkerSlot workers[kMaxWorkers];
};

// Maps the block and makes it this process's (and, after fork, its children's).
// Throws std::system_error when mmap fails.  Call once, in the supervisor.
void create(unsigned workers_configured);
// This process's block, or nullptr when none was created.
const Shared* shared() noexcept;

// In a worker, right after fork: which slot is its own (0..workers-1).
void become_worker(unsigned slot) noexcept;
// Supervisor: the worker in `slot` is gone (and a new one will start, a restart).
void worker_gone(unsigned slot, bool restarted) noexcept;

// Index of a status in kStatuses, or the "other" slot.
std::size_t status_slot(int status) noexcept;
void count_request(std::size_t route_index, int status) noexcept;  // kMaxRoutes - 1: no route
void count_upload(std::size_t outcome_slot) noexcept;
void add_stored_bytes(std::uint64_t stored, std::uint64_t uploaded) noexcept;
void count_stored(std::uint64_t images, std::uint64_t videos) noexcept;
void observe(Histogram h, std::chrono::nanoseconds d) noexcept;
void set_db_connected(bool connected) noexcept;
void set_busy(bool busy) noexcept;

// Observes the time from construction to destruction.
class Timer {
 public:
  explicit Timer(Histogram h) : h_(h), start_(std::chrono::steady_clock::now()) {}
  ~Timer() { observe(h_, std::chrono::steady_clock::now() - start_); }
  Timer(const Timer&) = delete;
  Timer& operator=(const Timer&) = delete;
  // Leaves out of this span a part spent on something else (timed by its own Timer).
  void leave_out(std::chrono::steady_clock::duration d) { start_ += d; }

 private:
  Histogram h_;
  std::chrono::steady_clock::time_point start_;
};

}  // namespace imghost::metrics
