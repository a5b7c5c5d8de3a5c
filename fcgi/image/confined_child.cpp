#include "image/confined_child.hpp"

#include <fmt/format.h>

#include <fcntl.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <system_error>

namespace imghost::image {
namespace {

constexpr std::size_t kErrTail = 4096;

[[noreturn]] void throw_errno(const char* what) { throw std::system_error(errno, std::generic_category(), what); }

// In the child, between fork() and exec: only async-signal-safe calls (the worker may
// have other threads, whose locks the child inherits held).
[[noreturn]] void become_child(char* const* argv, char* const* envp, int out_fd, int err_fd, const ChildLimits& l) {
  setpgid(0, 0);  // its own group: the deadline kills every process it started
  // No network: a namespace of its own has only a down loopback.  Allowed to root (CI,
  // systemd units with CAP_SYS_ADMIN) or with unprivileged user namespaces; elsewhere
  // the protocol whitelist (`file` only) is the defence.
  if (unshare(CLONE_NEWNET) != 0) (void)unshare(CLONE_NEWUSER | CLONE_NEWNET);
  const int devnull = open("/dev/null", O_RDONLY);
  if (devnull < 0 || dup2(devnull, 0) < 0 || dup2(out_fd, 1) < 0 || dup2(err_fd, 2) < 0) _exit(126);
  close_range(3, ~0U, 0);  // nothing of the worker's: its socket, the database, the log
  const auto limit = [](int resource, rlim_t v) {
    const rlimit r{v, v};
    if (setrlimit(resource, &r) != 0) _exit(126);
  };
  limit(RLIMIT_AS, l.address_space);
  // SIGXCPU at the soft limit, SIGKILL one second later.
  const rlimit cpu{l.cpu_seconds, rlim_t{l.cpu_seconds} + 1};
  if (setrlimit(RLIMIT_CPU, &cpu) != 0) _exit(126);
  limit(RLIMIT_FSIZE, l.file_size);
  limit(RLIMIT_NOFILE, l.open_files);
  limit(RLIMIT_CORE, 0);
  limit(RLIMIT_NPROC, 64);  // threads count here; a fork bomb does not
  // The worker's signal dispositions are its own: the child starts from the defaults.
  sigset_t none;
  sigemptyset(&none);
  sigprocmask(SIG_SETMASK, &none, nullptr);
  for (int s : {SIGPIPE, SIGTERM, SIGHUP, SIGUSR1, SIGCHLD, SIGXFSZ}) signal(s, SIG_DFL);
  execve(argv[0], argv, envp);
  _exit(127);
}

}  // namespace

std::string ChildResult::describe() const {
  if (timed_out) return "ran past its deadline";
  if (overflow) return "wrote too much";
  if (signal) return fmt::format("was killed by signal {}", signal);
  return fmt::format("exited with {}", exit_code);
}

ChildResult run_confined(const std::vector<std::string>& args, const ChildLimits& limits) {
  // Everything the child needs is made before fork(): it may not allocate.
  std::vector<char*> argv;
  for (const auto& a : args) argv.push_back(const_cast<char*>(a.c_str()));
  argv.push_back(nullptr);
  // One thread each, little malloc arena reservation: RLIMIT_AS counts reservations.
  static const char* const kEnv[] = {"PATH=/usr/bin:/bin", "MALLOC_ARENA_MAX=1", "LC_ALL=C", "AV_LOG_FORCE_NOCOLOR=1",
                                     nullptr};
  int out[2], err[2];
  if (pipe2(out, O_CLOEXEC) != 0) throw_errno("pipe");
  if (pipe2(err, O_CLOEXEC) != 0) {
    const int e = errno;
    close(out[0]);
    close(out[1]);
    throw std::system_error(e, std::generic_category(), "pipe");
  }
  const pid_t pid = fork();
  if (pid == 0) become_child(argv.data(), const_cast<char* const*>(kEnv), out[1], err[1], limits);
  const int fork_errno = errno;
  close(out[1]);
  close(err[1]);
  if (pid < 0) {
    close(out[0]);
    close(err[0]);
    throw std::system_error(fork_errno, std::generic_category(), "fork");
  }
  setpgid(pid, pid);  // also here, so the group exists before any kill below

  ChildResult r;
  const auto deadline = std::chrono::steady_clock::now() + limits.wall;
  pollfd fds[2] = {{out[0], POLLIN, 0}, {err[0], POLLIN, 0}};
  int open_fds = 2;
  char buf[65536];
  while (open_fds > 0) {
    const auto left =
        std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now()).count();
    if (left <= 0) {
      r.timed_out = true;
      break;
    }
    const int n = poll(fds, 2, static_cast<int>(std::min<long long>(left, 1000)));
    if (n < 0 && errno != EINTR) break;
    for (int i = 0; i < 2 && n > 0; ++i) {
      if (fds[i].fd < 0 || !(fds[i].revents & (POLLIN | POLLHUP | POLLERR))) continue;
      const ssize_t got = read(fds[i].fd, buf, sizeof buf);
      if (got < 0 && errno == EINTR) continue;
      if (got <= 0) {
        close(fds[i].fd);
        fds[i].fd = -1;
        --open_fds;
        continue;
      }
      if (i == 0) {
        if (r.out.size() + static_cast<std::size_t>(got) > limits.max_stdout) {
          r.overflow = true;
          open_fds = 0;
          break;
        }
        r.out.append(buf, static_cast<std::size_t>(got));
      } else {
        r.err.append(buf, static_cast<std::size_t>(got));
        if (r.err.size() > 2 * kErrTail) r.err.erase(0, r.err.size() - kErrTail);
      }
    }
  }
  for (auto& f : fds)
    if (f.fd >= 0) close(f.fd);
  // Whatever it left running (it may have closed its pipes and lingered) goes with it.
  if (r.timed_out || r.overflow) kill(-pid, SIGKILL);
  // A child that closed its output may still run: it is waited for until the deadline.
  int status = 0;
  while (true) {
    const pid_t w = waitpid(pid, &status, r.timed_out || r.overflow ? 0 : WNOHANG);
    if (w == pid || (w < 0 && errno != EINTR)) break;
    if (w == 0 && std::chrono::steady_clock::now() >= deadline) {
      r.timed_out = true;
      kill(-pid, SIGKILL);
      continue;
    }
    if (w == 0) usleep(2000);
  }
  kill(-pid, SIGKILL);  // anything it started and left behind
  if (WIFEXITED(status)) r.exit_code = WEXITSTATUS(status);
  if (WIFSIGNALED(status)) r.signal = WTERMSIG(status);
  if (r.err.size() > kErrTail) r.err.erase(0, r.err.size() - kErrTail);
  return r;
}

}  // namespace imghost::image
