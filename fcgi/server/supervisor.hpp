// The worker pool: N forked workers on one listening socket.  A worker that dies is
// replaced (with a pause if workers die right after starting, so a broken setup does
// not fork in a loop).  SIGTERM/SIGINT: workers finish their request and exit, then the
// supervisor exits.  SIGHUP: forwarded, so every worker reopens the log.
#pragma once

#include <functional>

namespace imghost {

// Runs `work` in `count` child processes until stopped, each with its slot number
// (0..count-1; a replacement takes the slot of the worker it replaces, so the metrics
// keep one line per worker).  Worker restarts are counted in the metrics block when
// there is one.  Returns the exit status.
int supervise(unsigned count, const std::function<int(unsigned slot)>& work);

}  // namespace imghost
