#include "domain/log.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <system_error>

#include "base/text.hpp"

namespace imghost {
namespace {

int open_log(const std::filesystem::path& p) {
  return ::open(p.c_str(), O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0640);
}

}  // namespace

std::string format_log_line(std::time_t when, std::string_view action, std::string_view message) {
  std::tm tm{};
  gmtime_r(&when, &tm);
  char stamp[32];
  std::strftime(stamp, sizeof stamp, "[%Y-%m-%d %H:%M:%S] ", &tm);
  std::string line(stamp);
  line.append(action).append(": ");
  // Printable ASCII and valid UTF-8 go as they are (Cyrillic file names stay readable);
  // a backslash is doubled so the escapes below stay unambiguous; every byte of
  // anything that would break or reorder the line (text::breaks_display) and every
  // invalid byte becomes \xNN.
  auto escape_bytes = [&line](std::string_view bytes) {
    for (const char ch : bytes) {
      char buf[8];
      std::snprintf(buf, sizeof buf, "\\x%02X", static_cast<unsigned char>(ch));
      line.append(buf);
    }
  };
  for (std::size_t i = 0; i < message.size();) {
    char32_t cp = 0;
    const auto n = text::utf8_sequence(message, i, &cp);
    if (n == 0) {
      escape_bytes(message.substr(i, 1));
      ++i;
      continue;
    }
    if (cp == '\\')
      line.append("\\\\");
    else if (text::breaks_display(cp))
      escape_bytes(message.substr(i, n));
    else
      line.append(message.substr(i, n));
    i += n;
  }
  line.push_back('\n');
  return line;
}

AppLog::AppLog(std::filesystem::path path, std::string language)
    : path_(std::move(path)), language_(std::move(language)) {
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
    if (n != static_cast<ssize_t>(line.size())) std::fprintf(stderr, "imghost: log write failed: %s", line.c_str());
  } catch (...) {
    // Out of memory formatting a log line: nothing sensible left to do.
  }
}

void AppLog::success(const i18n::Message& message) noexcept {
  try {
    write(i18n::msg("Success").in(language_), message.in(language_));
  } catch (...) {
    // As in write(): out of memory, nothing left to do.
  }
}

void AppLog::error(const i18n::Message& message) noexcept {
  try {
    write(i18n::msg("Error").in(language_), message.in(language_));
  } catch (...) {}
}

}  // namespace imghost
