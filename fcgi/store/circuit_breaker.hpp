// Failing fast while a server is away.  Once a request could not reach the server (no
// connection, or no progress before its stall limit), every request that follows would
// wait out the same limit again: an upload makes several, and each worker queues more
// behind them.  So after such a failure the breaker is open for `cool_down`: requests
// are refused at once.  After it, the next request goes out as a probe; the server
// answering closes the breaker, another failure opens it again.
//
// One per S3 client, so one per worker process: each worker learns of a stall by
// itself, at the cost of one wait.  Times are passed in (no clock inside), so the rules
// are tested without waiting.  Not thread-safe.
#pragma once

#include <chrono>
#include <optional>

namespace imghost::store {

class CircuitBreaker {
 public:
  using Clock = std::chrono::steady_clock;

  explicit CircuitBreaker(Clock::duration cool_down) : cool_down_(cool_down) {}

  // Whether a request may go out at `now`: the breaker is closed, or its cool-down is
  // over (the request is then the probe).
  bool allows(Clock::time_point now) const { return !open_until_ || now >= *open_until_; }
  // The server answered (whatever its status): closed.
  void succeeded() { open_until_.reset(); }
  // The server could not be reached at `now`: open until now + cool_down.
  void failed(Clock::time_point now) { open_until_ = now + cool_down_; }
  // When the next request may go out; nullopt while closed.
  std::optional<Clock::time_point> open_until() const { return open_until_; }

 private:
  Clock::duration cool_down_;
  std::optional<Clock::time_point> open_until_;
};

}  // namespace imghost::store
