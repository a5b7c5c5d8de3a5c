// logs/app.log: one line per user action and per error, `[YYYY-MM-DD HH:MM:SS] Action: message`
// (UTC).  Many worker processes append to the same file: each line goes out in a single
// write(2) on an O_APPEND descriptor, so lines are never torn or interleaved.  After log
// rotation, reopen() (called on SIGHUP) switches to the new file; no line is lost
// because the rotated file stays valid until every worker has reopened.
#pragma once

#include <ctime>
#include <filesystem>
#include <string>
#include <string_view>

#include "domain/translate.hpp"

namespace imghost {

// The line for `action` and `message` at `when`, ending in '\n'.  Control characters
// and invalid bytes in the message (a client's file name may hold a newline) are
// escaped as \xNN, so one call is always exactly one line.
std::string format_log_line(std::time_t when, std::string_view action, std::string_view message);

class AppLog {
 public:
  AppLog() = default;
  // Opens `path`; throws std::system_error.  The lines are written in `language`
  // (log_language): "Success:" / "Error:", or "Успех:" / "Ошибка:" in Russian.
  explicit AppLog(std::filesystem::path path, std::string language = "en");
  ~AppLog();
  AppLog(const AppLog&) = delete;
  AppLog& operator=(const AppLog&) = delete;

  // Reopens the path (after rotation).  On failure keeps the old descriptor and
  // reports to stderr: losing lines to a stale file beats losing them all.
  void reopen();

  // Appends one line.  Never throws: a log that cannot be written must not fail the
  // request; the failure goes to stderr (the journal).
  // A message made with i18n::msg is said in the log's language; a plain string goes as
  // it is.
  void write(std::string_view action, std::string_view message) noexcept;
  void success(const i18n::Message& message) noexcept;
  void error(const i18n::Message& message) noexcept;

  // The log's language, for callers that build a line of several messages.
  const std::string& language() const noexcept { return language_; }

 private:
  std::filesystem::path path_;
  std::string language_ = "en";
  int fd_ = -1;
};

}  // namespace imghost
