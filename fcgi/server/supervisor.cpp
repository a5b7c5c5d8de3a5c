#include "server/supervisor.hpp"

#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstring>
#include <map>
#include <thread>

#include "metrics/metrics.hpp"

namespace imghost {
namespace {

using Clock = std::chrono::steady_clock;
constexpr auto kStopGrace = std::chrono::seconds(30);
constexpr auto kFastDeath = std::chrono::seconds(2);

pid_t spawn(const std::function<int(unsigned)>& work, unsigned slot, const sigset_t& parent_mask) {
  const pid_t pid = fork();
  if (pid != 0) return pid;  // parent, or -1
  // A worker must not outlive its supervisor (make run's Ctrl-C, a SIGKILL).
  prctl(PR_SET_PDEATHSIG, SIGTERM);
  if (getppid() == 1) _exit(0);
  sigprocmask(SIG_SETMASK, &parent_mask, nullptr);
  _exit(work(slot));
}

struct WorkerInfo {
  Clock::time_point started;
  unsigned slot;
};

}  // namespace

int supervise(unsigned count, const std::function<int(unsigned slot)>& work) {
  sigset_t waited, old;
  sigemptyset(&waited);
  for (int s : {SIGCHLD, SIGTERM, SIGINT, SIGHUP}) sigaddset(&waited, s);
  sigprocmask(SIG_BLOCK, &waited, &old);

  std::map<pid_t, WorkerInfo> workers;
  auto start_one = [&](unsigned slot) {
    const pid_t pid = spawn(work, slot, old);
    if (pid < 0) {
      std::fprintf(stderr, "imghost: fork failed: %s\n", std::strerror(errno));
      return;
    }
    workers[pid] = {Clock::now(), slot};
  };
  for (unsigned i = 0; i < count; ++i) start_one(i);
  std::fprintf(stderr, "imghost: supervisor %d started %u workers\n", getpid(), count);

  bool stopping = false;
  Clock::time_point stop_deadline{};
  const timespec tick{0, 200'000'000};
  while (!workers.empty()) {
    siginfo_t info;
    const int sig = sigtimedwait(&waited, &info, &tick);
    if (sig == SIGTERM || sig == SIGINT) {
      if (!stopping) std::fprintf(stderr, "imghost: stopping %zu workers\n", workers.size());
      stopping = true;
      stop_deadline = Clock::now() + kStopGrace;
    } else if (sig == SIGHUP) {
      for (const auto& [pid, t] : workers) kill(pid, SIGHUP);
    }
    // Reap every child that has exited (SIGCHLD signals coalesce).
    for (;;) {
      int status = 0;
      const pid_t pid = waitpid(-1, &status, WNOHANG);
      if (pid <= 0) break;
      const auto it = workers.find(pid);
      if (it == workers.end()) continue;
      const bool fast = Clock::now() - it->second.started < kFastDeath;
      const unsigned slot = it->second.slot;
      workers.erase(it);
      metrics::worker_gone(slot, !stopping);
      if (stopping) continue;
      if (WIFSIGNALED(status))
        std::fprintf(stderr, "imghost: worker %d killed by signal %d, replacing it\n", pid, WTERMSIG(status));
      else
        std::fprintf(stderr, "imghost: worker %d exited with %d, replacing it\n", pid, WEXITSTATUS(status));
      if (fast) std::this_thread::sleep_for(std::chrono::seconds(1));
      start_one(slot);
    }
    if (stopping) {
      // Repeated on every tick: a worker that took the first SIGTERM between its check
      // and accept() gets woken by the next one.  Mid-request it stays blocked: harmless.
      const bool late = Clock::now() > stop_deadline;
      for (const auto& [pid, t] : workers) kill(pid, late ? SIGKILL : SIGTERM);
    }
  }
  std::fprintf(stderr, "imghost: all workers stopped\n");
  return 0;
}

}  // namespace imghost
