// Running an untrusted-input tool (ffprobe, ffmpeg) in a child process that cannot hurt
// the worker: its own address space and process group, hard resource limits, a
// wall-clock deadline, no network where the kernel allows a namespace of its own, no
// inherited file descriptors and an environment of our choosing.
//
// Not thread-safe with respect to other fork()s of the process (none in the worker).
#pragma once

#include <chrono>
#include <cstdint>
#include <string>
#include <vector>

namespace imghost::image {

struct ChildLimits {
  std::uint64_t address_space = 1ull << 30;  // RLIMIT_AS
  std::uint32_t cpu_seconds = 60;            // RLIMIT_CPU (then SIGXCPU, then SIGKILL)
  std::uint64_t file_size = 0;               // RLIMIT_FSIZE: the most it may write to a file (0: nothing)
  std::uint32_t open_files = 32;             // RLIMIT_NOFILE
  std::chrono::milliseconds wall{60'000};    // then the whole process group is killed
  std::uint64_t max_stdout = 16u << 20;      // more than this on stdout: killed, `overflow`
};

struct ChildResult {
  int exit_code = -1;  // when it exited, else -1
  int signal = 0;      // the signal that ended it, else 0
  bool timed_out = false;
  bool overflow = false;
  std::string out;  // its stdout
  std::string err;  // the last 4 KiB of its stderr, for the log
  bool ok() const { return exit_code == 0 && !timed_out && !overflow; }
  // "exited with 1", "killed by signal 9", "ran past its deadline", ...
  std::string describe() const;
};

// Runs argv[0] (an absolute path) with `argv`, stdin from /dev/null, and waits for it
// within `limits.wall`.  Throws std::system_error when the child cannot be started;
// whatever the child does is reported in the result, never thrown.
ChildResult run_confined(const std::vector<std::string>& argv, const ChildLimits& limits);

}  // namespace imghost::image
