// The FastCGI listening socket: taken from systemd (socket activation, LISTEN_FDS) when
// present, else a unix socket created at `path`.
#pragma once

#include <filesystem>

namespace imghost {

// Returns the listening descriptor.  Throws std::system_error.  `created` tells whether
// this process made the socket file (and should remove it on exit).
int open_listen_socket(const std::filesystem::path& path, bool& created);

}  // namespace imghost
