#include "log.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <system_error>

namespace imghost {
namespace {

int open_log(const std::filesystem::path& p) {
  return ::open(p.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0640);
}

// Length of the valid UTF-8 sequence at s[i], or 0 if it is not one.
std::size_t utf8_len(std::string_view s, std::size_t i) {
  const auto c = static_cast<unsigned char>(s[i]);
  std::size_t n = c >= 0xF0 && c <= 0xF4 ? 4 : c >= 0xE0 ? 3 : c >= 0xC2 && c < 0xE0 ? 2 : 0;
  if (n == 0 || i + n > s.size()) return 0;
  for (std::size_t k = 1; k < n; ++k)
    if ((static_cast<unsigned char>(s[i + k]) & 0xC0) != 0x80) return 0;
  return n;
}

}  // namespace

std::string format_log_line(std::time_t when, std::string_view action, std::string_view message) {
  std::tm tm{};
  gmtime_r(&when, &tm);
  char stamp[32];
  std::strftime(stamp, sizeof stamp, "[%Y-%m-%d %H:%M:%S] ", &tm);
  std::string line(stamp);
  line.append(action).append(": ");
  for (std::size_t i = 0; i < message.size();) {
    const auto c = static_cast<unsigned char>(message[i]);
    if (c >= 0x20 && c < 0x7F && c != '\\') {
      line.push_back(static_cast<char>(c));
      ++i;
    } else if (c == '\\') {
      line.append("\\\\");
      ++i;
    } else if (const auto n = utf8_len(message, i); c >= 0x80 && n > 0) {
      line.append(message.substr(i, n));  // Cyrillic file names stay readable
      i += n;
    } else {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02X", c);
      line.append(buf);
      ++i;
    }
  }
  line.push_back('\n');
  return line;
}

AppLog::AppLog(std::filesystem::path path) : path_(std::move(path)) {
  fd_ = open_log(path_);
  if (fd_ < 0) throw std::system_error(errno, std::generic_category(), "open " + path_.string());
}

AppLog::~AppLog() {
  if (fd_ >= 0) ::close(fd_);
}

void AppLog::reopen() {
  if (path_.empty()) return;
  const int fd = open_log(path_);
  if (fd < 0) {
    std::fprintf(stderr, "imghost: cannot reopen %s: %s\n", path_.c_str(), std::strerror(errno));
    return;
  }
  if (fd_ >= 0) ::close(fd_);
  fd_ = fd;
}

void AppLog::write(std::string_view action, std::string_view message) noexcept {
  try {
    const std::string line = format_log_line(std::time(nullptr), action, message);
    if (fd_ < 0) {
      std::fputs(line.c_str(), stderr);
      return;
    }
    // O_APPEND makes the seek-and-write atomic; a short write of a regular file only
    // happens on a full disk, and then the rest could not be written either.
    ssize_t n;
    do n = ::write(fd_, line.data(), line.size());
    while (n < 0 && errno == EINTR);
    if (n != static_cast<ssize_t>(line.size()))
      std::fprintf(stderr, "imghost: log write failed: %s", line.c_str());
  } catch (...) {
    // Out of memory formatting a log line: nothing sensible left to do.
  }
}

}  // namespace imghost
