// One worker process: accepts FastCGI requests on the shared listening socket, one at a
// time, and answers each.  Returns when asked to stop (SIGTERM/SIGINT) after finishing
// the request in flight; SIGHUP reopens the log.  Signals are blocked while a request is
// handled, so they never interrupt its reads and writes; they are only taken while the
// worker waits for the next request.
#pragma once

#include "core/app.hpp"
#include "http/request.hpp"
#include "http/response.hpp"

namespace imghost {

// Handles one request completely: dispatch, the single catch that maps every error to
// a response (and a log line), and nothing else.  Exposed for tests.
http::Response handle(App& app, http::Request& req) noexcept;

// The accept loop.  Returns the process exit status.
int run_worker(App& app, int listen_fd);

}  // namespace imghost
