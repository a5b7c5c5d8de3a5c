// The worker pool: N forked workers on one listening socket.  A worker that dies is
// replaced (with a pause if workers die right after starting, so a broken setup does
// not fork in a loop).  SIGTERM/SIGINT: workers finish their request and exit, then the
// supervisor exits.  SIGHUP: forwarded, so every worker reopens the log.
#pragma once

#include <functional>

namespace imghost {

// Runs `work` in `count` child processes until stopped.  Returns the exit status.
int supervise(unsigned count, const std::function<int()>& work);

}  // namespace imghost
