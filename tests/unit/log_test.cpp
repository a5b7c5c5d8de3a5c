#include <boost/test/unit_test.hpp>

#include <fcntl.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <regex>
#include <string>

#include "domain/log.hpp"

BOOST_AUTO_TEST_SUITE(app_log)

BOOST_AUTO_TEST_CASE(line_format_is_the_contract) {
  // 2026-11-23 14:00:00 UTC
  const std::time_t t = 1795442400;
  struct Case {
    const char* action;
    std::string message;
    std::string line;
  };
  const Case cases[] = {
      {"Success", "image cat.jpg uploaded as a.jpg (1 bytes).",
       "[2026-11-23 14:00:00] Success: image cat.jpg uploaded as a.jpg (1 bytes).\n"},
      {"Error", "bad\nname\r.txt", "[2026-11-23 14:00:00] Error: bad\\x0Aname\\x0D.txt\n"},
      {"Error", "кот.png", "[2026-11-23 14:00:00] Error: кот.png\n"},
      {"Error", std::string("x\xff\xfey"), "[2026-11-23 14:00:00] Error: x\\xFF\\xFEy\n"},
      {"Error", "back\\slash", "[2026-11-23 14:00:00] Error: back\\\\slash\n"},
      // C1 controls (NEL), the line separator and a right-to-left override, each of
      // which breaks or reverses a line in some viewer: escaped byte for byte.
      {"Error", "a\u0085b", "[2026-11-23 14:00:00] Error: a\\xC2\\x85b\n"},
      {"Error", "one\u2028two", "[2026-11-23 14:00:00] Error: one\\xE2\\x80\\xA8two\n"},
      {"Error", "cat\u202Egpj.exe", "[2026-11-23 14:00:00] Error: cat\\xE2\\x80\\xAEgpj.exe\n"},
      {"Error", "\u2067x\u2069", "[2026-11-23 14:00:00] Error: \\xE2\\x81\\xA7x\\xE2\\x81\\xA9\n"},
      {"Error", std::string("nul\0x", 5), "[2026-11-23 14:00:00] Error: nul\\x00x\n"},
  };
  for (const auto& c : cases) {
    BOOST_TEST_CONTEXT(c.message) { BOOST_TEST(imghost::format_log_line(t, c.action, c.message) == c.line); }
  }
}

BOOST_AUTO_TEST_CASE(many_processes_never_tear_a_line_and_reopen_follows_rotation) {
  const auto dir = std::filesystem::temp_directory_path() / ("imghost-log-" + std::to_string(getpid()));
  std::filesystem::create_directories(dir);
  const auto path = dir / "app.log";
  constexpr int kProcs = 4, kLines = 500;
  const std::string payload(300, 'x');
  for (int p = 0; p < kProcs; ++p) {
    if (fork() == 0) {
      imghost::AppLog log(path);
      for (int i = 0; i < kLines; ++i) {
        if (p == 0 && i == kLines / 2) {
          std::filesystem::rename(path, dir / "app.log.1");  // rotation under load
          log.reopen();
        }
        log.success(std::to_string(p) + " " + payload);
      }
      _exit(0);
    }
  }
  for (int p = 0; p < kProcs; ++p) wait(nullptr);
  const std::regex line_re(R"(^\[\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\] Success: \d x{300}$)");
  int total = 0;
  for (const auto& f : {path, dir / "app.log.1"}) {
    std::ifstream in(f);
    std::string line;
    while (std::getline(in, line)) {
      BOOST_TEST(std::regex_match(line, line_re), line.substr(0, 60));
      ++total;
    }
  }
  BOOST_TEST(total == kProcs * kLines);
  std::filesystem::remove_all(dir);
}

BOOST_AUTO_TEST_SUITE_END()
