#include "admin/users.hpp"
#include "base/text.hpp"

#include <fmt/format.h>
#include <termios.h>
#include <unistd.h>

#include <charconv>
#include <optional>

#include "base/text.hpp"
#include "core/accounts.hpp"
#include "db/pg.hpp"
#include "db/users_repo.hpp"
#include "domain/error.hpp"

namespace imghost::admin {
namespace {

int usage() {
  std::fprintf(stderr,
               "usage: imghost-admin user add NAME [--admin] [--quota SIZE]   (password on standard input)\n"
               "       imghost-admin user list\n"
               "       imghost-admin user disable NAME | user enable NAME\n"
               "       imghost-admin user quota NAME SIZE|default\n"
               "       imghost-admin invite create [--days N]\n");
  return 2;
}

// "10G", "512M", "1000000": bytes; nullopt when not a size.
std::optional<long long> parse_size(const std::string& v) {
  const auto n = text::parse_size(v);
  if (!n) return std::nullopt;
  return static_cast<long long>(*n);
}

// One line from `in`, without its newline.  On a terminal, without echo.
std::optional<std::string> read_password(std::FILE* in) {
  const int fd = fileno(in);
  termios saved{};
  const bool tty = isatty(fd) && tcgetattr(fd, &saved) == 0;
  if (tty) {
    std::fprintf(stderr, "password: ");
    termios quiet = saved;
    quiet.c_lflag &= ~static_cast<tcflag_t>(ECHO);
    tcsetattr(fd, TCSAFLUSH, &quiet);
  }
  std::string line;
  int c = 0;
  while ((c = std::fgetc(in)) != EOF && c != '\n') line.push_back(static_cast<char>(c));
  if (tty) {
    tcsetattr(fd, TCSAFLUSH, &saved);
    std::fprintf(stderr, "\n");
  }
  if (!line.empty() && line.back() == '\r') line.pop_back();
  if (c == EOF && line.empty()) return std::nullopt;
  return line;
}

std::string quota_text(const Config& config, const UserRecord& u) {
  return u.quota_bytes ? std::to_string(*u.quota_bytes) : fmt::format("{} (default)", accounts::quota_of(config, u));
}

}  // namespace

int user_command(const Config& config, const std::vector<std::string>& args, std::FILE* in, std::FILE* out) {
  if (args.size() < 2) return usage();
  const std::string& verb = args[1];
  try {
    db::Connection conn(config.database);
    db::UsersRepo users(conn);
    if (verb == "add" && args.size() >= 3) {
      bool admin = false;
      std::optional<long long> quota;
      for (std::size_t i = 3; i < args.size(); ++i) {
        if (args[i] == "--admin") {
          admin = true;
        } else if (args[i] == "--quota" && i + 1 < args.size()) {
          quota = parse_size(args[++i]);
          if (!quota) return usage();
        } else {
          return usage();
        }
      }
      const auto password = read_password(in);
      if (!password) {
        std::fprintf(stderr, "imghost-admin: no password on standard input\n");
        return 1;
      }
      const auto u = accounts::create_account(conn, args[2], *password, admin, quota);
      std::fprintf(out, "created %s%s\n", u.username.c_str(), u.is_admin ? " (admin)" : "");
      return 0;
    }
    if (verb == "list" && args.size() == 2) {
      std::fprintf(out, "%-32s %-5s %-8s %14s %s\n", "username", "admin", "disabled", "used_bytes", "quota_bytes");
      for (const auto& u : users.all())
        std::fprintf(out, "%-32s %-5s %-8s %14lld %s\n", u.username.c_str(), u.is_admin ? "yes" : "no",
                     u.disabled ? "yes" : "no", u.used_bytes, quota_text(config, u).c_str());
      return 0;
    }
    if ((verb == "disable" || verb == "enable") && args.size() == 3) {
      const bool disable = verb == "disable";
      if (!users.set_disabled(args[2], disable)) {
        std::fprintf(stderr, "imghost-admin: no user %s\n", args[2].c_str());
        return 1;
      }
      // A disabled account's sessions end now (its tokens are refused while disabled).
      if (disable) users.delete_sessions_of(users.find_by_name(args[2])->id);
      std::fprintf(out, "%s %s\n", disable ? "disabled" : "enabled", args[2].c_str());
      return 0;
    }
    if (verb == "quota" && args.size() == 4) {
      std::optional<long long> quota;
      if (args[3] != "default") {
        quota = parse_size(args[3]);
        if (!quota) return usage();
      }
      if (!users.set_quota(args[2], quota)) {
        std::fprintf(stderr, "imghost-admin: no user %s\n", args[2].c_str());
        return 1;
      }
      std::fprintf(out, "quota of %s: %s\n", args[2].c_str(), quota ? std::to_string(*quota).c_str() : "the default");
      return 0;
    }
    return usage();
  } catch (const Error& e) {
    std::fprintf(stderr, "imghost-admin: %s\n", e.what());
    return 1;
  }
}

int invite_command(const Config& config, const std::vector<std::string>& args, std::FILE* out) {
  if (args.size() < 2 || args[1] != "create") return usage();
  unsigned days = 7;
  if (args.size() == 4 && args[2] == "--days") {
    unsigned n = 0;
    auto [p, ec] = std::from_chars(args[3].data(), args[3].data() + args[3].size(), n);
    if (ec != std::errc() || p != args[3].data() + args[3].size() || n == 0 || n > 3650) return usage();
    days = n;
  } else if (args.size() != 2) {
    return usage();
  }
  db::Connection conn(config.database);
  std::fprintf(out, "%s\n", accounts::create_invite(conn, days).c_str());
  return 0;
}

}  // namespace imghost::admin
