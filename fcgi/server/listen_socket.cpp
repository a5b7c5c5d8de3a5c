#include "server/listen_socket.hpp"

#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cerrno>
#include <cstdlib>
#include <cstring>
#include <string>
#include <system_error>

namespace imghost {

int open_listen_socket(const std::filesystem::path& path, bool& created) {
  created = false;
  // systemd passes its sockets from fd 3 on, for the pid named in LISTEN_PID.
  const char* fds = std::getenv("LISTEN_FDS");
  const char* pid = std::getenv("LISTEN_PID");
  if (fds && pid && std::atoi(fds) >= 1 && std::atol(pid) == static_cast<long>(getpid())) {
    unsetenv("LISTEN_FDS");
    unsetenv("LISTEN_PID");
    return 3;
  }
  sockaddr_un addr{};
  addr.sun_family = AF_UNIX;
  if (path.native().size() >= sizeof addr.sun_path)
    throw std::system_error(ENAMETOOLONG, std::generic_category(), "socket path " + path.string());
  std::strcpy(addr.sun_path, path.c_str());
  const int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) throw std::system_error(errno, std::generic_category(), "socket");
  std::error_code ec;
  std::filesystem::create_directories(path.parent_path(), ec);
  ::unlink(path.c_str());  // a stale socket from a previous run
  // 0660: only the service's user and group (nginx's) may talk to the workers.
  const mode_t old = umask(0117);
  const int rc = bind(fd, reinterpret_cast<sockaddr*>(&addr), sizeof addr);
  umask(old);
  if (rc != 0 || listen(fd, 1024) != 0) {
    const int err = errno;
    ::close(fd);
    throw std::system_error(err, std::generic_category(), "listen on " + path.string());
  }
  created = true;
  return fd;
}

}  // namespace imghost
