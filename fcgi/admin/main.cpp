// imghost-admin: the operator's command.
//
//   imghost-admin [--config FILE] COMMAND ARGS...
//
// The commands are the rows of kCommands below; the usage message is made from them.
// Every command but `routes` reads the same configuration as the workers (file, then
// IMGHOST_* environment), loaded before the command looks at its arguments: a bad file
// exits 1 naming the problem, bad usage exits 2 with the usage message.
#include <array>
#include <charconv>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <unistd.h>

#include "admin/claim.hpp"
#include "admin/fsck.hpp"
#include "admin/migrate.hpp"
#include "admin/migrate_store.hpp"
#include "admin/moderation.hpp"
#include "admin/nginx_sed.hpp"
#include "admin/own_names.hpp"
#include "admin/restore_files.hpp"
#include "admin/users.hpp"
#include "core/cleanup.hpp"
#include "core/resumable_upload.hpp"
#include "core/variants.hpp"
#include "db/pg.hpp"
#include "domain/config.hpp"
#include "domain/log.hpp"
#include "domain/translate.hpp"
#include "handlers/routes.hpp"
#include "store/local_store.hpp"
#include "store/open_store.hpp"

namespace {

// What a command is given.
struct Invocation {
  const char* argv0;                     // for the usage message
  const std::vector<std::string>& args;  // args[0] is the command's name
  const imghost::Config* config;         // null for a command that reads none (Command::bare)
};

// Prints the usage message made from kCommands; returns 2, the exit status of bad usage.
int usage(const char* argv0);

// fsck's options after the word "fsck"; false on anything unknown.
bool parse_fsck(const std::vector<std::string>& args, imghost::admin::FsckOptions& o) {
  for (std::size_t i = 1; i < args.size(); ++i) {
    if (args[i] == "--fix") {
      o.fix = true;
    } else if (args[i] == "--force") {
      o.force = true;
    } else if (args[i] == "--grace" && i + 1 < args.size()) {
      const std::string& v = args[++i];
      long long s = 0;
      auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), s);
      if (ec != std::errc() || p != v.data() + v.size() || s < 0) return false;
      o.grace = std::chrono::seconds(s);
    } else {
      return false;
    }
  }
  return true;
}

// The application log for a command that is still worth running without it (its
// summary then goes to stderr only).
std::unique_ptr<imghost::AppLog> open_log(const imghost::Config& config) {
  try {
    return std::make_unique<imghost::AppLog>(config.log_file, config.log_language);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "imghost-admin: %s\n", e.what());
    return std::make_unique<imghost::AppLog>();
  }
}

int run_fsck(const imghost::Config& config, const imghost::admin::FsckOptions& options) {
  using namespace imghost;
  // Missing thumbnails are made with ImageMagick, under the same policy and thread
  // limit as the workers; both must be in the environment before it initializes.
  setenv("OMP_NUM_THREADS", "1", 1);
  if (!config.magick_policy_dir.empty()) setenv("MAGICK_CONFIGURE_PATH", config.magick_policy_dir.c_str(), 1);
  const auto log = open_log(config);
  try {
    db::Connection conn(config.database);
    const auto store = store::open_store(config);
    auto with_video = options;
    with_video.video = config.video;
    const auto r = admin::fsck(*store, conn, *log, config.image, with_video, stdout);
    return r.remaining() == 0 ? 0 : 1;
  } catch (const std::exception& e) {
    log->error(i18n::msg("repair check could not run: {}", e.what()));
    throw;
  }
}

int run_migrate_store(const imghost::Config& config, const std::string& to) {
  using namespace imghost;
  // New uploads go to the store the configuration names: moving files the other way
  // would never finish, so the workers must be switched first.
  if (config.store != to) {
    std::fprintf(stderr,
                 "imghost-admin: the configuration says store = %s, so new uploads still go there.  Set store = %s "
                 "(and the bucket's settings), reload the workers and nginx, then run this again.\n",
                 config.store.c_str(), to.c_str());
    return 2;
  }
  if (!config.s3_configured()) {
    std::fprintf(stderr, "imghost-admin: no bucket configured (s3_endpoint, s3_bucket): nothing to move from or to\n");
    return 2;
  }
  const auto log = open_log(config);
  try {
    db::Connection conn(config.database);
    const auto local = store::open_local_store(config);
    const auto s3 = store::open_s3_store(config);
    const auto& source = to == "s3" ? *local : *s3;
    const auto& target = to == "s3" ? *s3 : *local;
    const auto r = admin::migrate_store(source, target, conn, *log, stdout);
    return r.without_row + r.refused == 0 ? 0 : 1;
  } catch (const std::exception& e) {
    log->error(i18n::msg("migrate-store stopped: {} (run it again to carry on).", e.what()));
    throw;
  }
}

int run_expire(const imghost::Config& config) {
  using namespace imghost;
  const auto log = open_log(config);
  try {
    db::Connection conn(config.database);
    const auto store = store::open_store(config);
    const auto r = cleanup::run_once(conn, *store, *log, config.empty_album_ttl);
    if (const auto n = resumable::remove_expired(conn, config.store_dir, *log); n > 0)
      std::printf("expire: removed %zu resumable uploads\n", n);
    // Quiet when there was nothing to do: the stack runs it every minute.
    if (r.images + r.albums + r.files + r.failed + r.empty_albums > 0)
      std::printf("expire: removed %zu images, %zu albums, %zu files, %zu empty albums%s\n", r.images, r.albums,
                  r.files, r.empty_albums, r.failed ? " (some files stay queued: see the log)" : "");
    // Then the variants' cap: least recently used first, after the removals above took
    // their images' variants.
    const auto v = trim_variants(*store, config.variants_max_bytes);
    if (v.removed > 0)
      std::printf("expire: removed %zu variants over variants_max_bytes (%llu bytes left)\n", v.removed,
                  static_cast<unsigned long long>(v.bytes_left));
    return r.failed == 0 ? 0 : 1;
  } catch (const std::exception& e) {
    log->error(i18n::msg("expire stopped: {} (the next run carries on).", e.what()));
    throw;
  }
}

// One line per route: method, pattern, then its flags (upload-body, slash-twin,
// fallback, internal) or "-".
void print_routes() {
  using namespace imghost::handlers;
  for (const auto& r : routes()) {
    std::string flags;
    if (r.flags & kUploadBody) flags += ",upload-body";
    if (r.flags & kSlashTwin) flags += ",slash-twin";
    if (r.flags & kFallback) flags += ",fallback";
    if (r.flags & kPrivate) flags += ",private";
    if (r.flags & kInternal) flags += ",internal";
    std::printf("%.*s %.*s %s\n", static_cast<int>(r.method.size()), r.method.data(),
                static_cast<int>(r.pattern.size()), r.pattern.data(), flags.empty() ? "-" : flags.c_str() + 1);
  }
}

// apply sql/ migrations; move a store of the legacy layout to the current one; give
// every image a file name of its own (admin/own_names.hpp)
int migrate_command(const Invocation& in) {
  using namespace imghost;
  if (in.args.size() != 1) return usage(in.argv0);
  const Config& config = *in.config;
  db::Connection conn(config.database);
  const auto applied = admin::migrate(conn, config.sql_dir);
  for (const auto& v : applied) std::printf("applied %s\n", v.c_str());
  if (applied.empty()) std::printf("schema up to date\n");
  // The store's layout is migrated too: its shard folders made, files of the legacy
  // two-level layout moved (store/local_store.hpp).  Only a local store has a layout
  // of its own.
  const auto store = store::open_store(config);
  if (const auto* local = dynamic_cast<const store::LocalStore*>(store.get())) {
    if (const auto made = local->make_shard_folders(); made > 0) std::printf("store: made %zu shard folders\n", made);
    if (const auto moved = local->relayout(); moved > 0)
      std::printf("store: moved %zu files to the one-level layout\n", moved);
  }
  // Rows written before sql/008 may share a file name.
  const auto log = open_log(config);
  const auto own = admin::give_own_names(*store, conn, *log, stdout);
  if (own.renamed > 0) std::printf("store: gave %zu images a file name of their own\n", own.renamed);
  return 0;
}

// The repair check (admin/fsck.hpp): exits 0 when nothing is wrong or all was fixed, 1
// when problems remain, 2 on bad usage.
int fsck_command(const Invocation& in) {
  imghost::admin::FsckOptions options;
  if (!parse_fsck(in.args, options)) return usage(in.argv0);
  return run_fsck(*in.config, options);
}

// config get KEY: the value in force (file, then environment), as the workers read it:
// the one reader of the configuration for scripts and make install.  config list: every
// KEY = value in force.  config nginx-sed: a sed script that fills the nginx site's
// placeholders (admin/nginx_sed.hpp).
int config_command(const Invocation& in) {
  using imghost::Config;
  const auto& args = in.args;
  const Config& config = *in.config;
  if (args.size() == 3 && args[1] == "get") {
    const auto v = config.get(args[2]);
    if (!v) {
      std::fprintf(stderr, "imghost-admin: unknown setting '%s'\n", args[2].c_str());
      return 2;
    }
    std::printf("%s\n", v->c_str());
    return 0;
  }
  if (args.size() == 2 && args[1] == "nginx-sed") {
    imghost::admin::print_nginx_sed(config, stdout);
    return 0;
  }
  if (args.size() == 2 && args[1] == "list") {
    for (const auto key : Config::keys())
      std::printf("%.*s = %s\n", static_cast<int>(key.size()), key.data(), config.get(key)->c_str());
    return 0;
  }
  return usage(in.argv0);
}

// Moves every file to the store the configuration names (admin/migrate_store.hpp);
// exits 0 when all moved, 1 when some are left.
int migrate_store_command(const Invocation& in) {
  const auto& args = in.args;
  if (args.size() != 3 || args[1] != "--to" || (args[2] != "s3" && args[2] != "local")) return usage(in.argv0);
  return run_migrate_store(*in.config, args[2]);
}

// Exits 0 when this machine runs the scheduled JOB now, 3 when another machine (or an
// earlier run) did less than SECONDS ago (admin/claim.hpp), 255 when the database cannot
// be asked (a failure to systemd's ExecCondition=, which skips on 1..254).
int claim_command(const Invocation& in) {
  using namespace imghost;
  const auto& args = in.args;
  long long every = 0;
  if (args.size() != 4 || args[2] != "--every") return usage(in.argv0);
  const std::string& v = args[3];
  auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), every);
  if (ec != std::errc() || p != v.data() + v.size() || every < 1 || args[1].empty() || args[1].size() > 64)
    return usage(in.argv0);
  char host[256] = "unknown";
  ::gethostname(host, sizeof host - 1);
  admin::Claim c;
  try {
    db::Connection conn(in.config->database);
    c = admin::claim(conn, args[1], std::chrono::seconds(every), host);
  } catch (const std::exception& e) {
    // Not 1: systemd's ExecCondition= skips a unit quietly on 1..254 and fails it
    // only on 255, and a database that cannot be asked must show as a failure.
    std::fprintf(stderr, "imghost-admin: %s\n", e.what());
    return 255;
  }
  if (c.ours) return 0;
  std::printf("%s already ran at %s on %s: not again before %lld s have passed\n", args[1].c_str(),
              c.started_at.c_str(), c.host.c_str(), every);
  return 3;
}

// Removes what has expired (core/cleanup.hpp); exits 0, or 1 when some file could not be
// removed (it stays queued for the next run).  Cron or a timer runs it every
// expire_interval seconds, behind `claim` when several machines share the database.
int expire_command(const Invocation& in) {
  if (in.args.size() != 1) return usage(in.argv0);
  return run_expire(*in.config);
}

// Copies a backup's store snapshot into the store, crash-safely, while the service runs
// (admin/restore_files.hpp; scripts/restore).
int restore_files_command(const Invocation& in) {
  if (in.args.size() != 2) return usage(in.argv0);
  imghost::admin::restore_files(in.args[1], *imghost::store::open_store(*in.config), stdout);
  return 0;
}

int routes_command(const Invocation&) {
  print_routes();
  return 0;
}

// Accounts (admin/users.hpp).
int user_command(const Invocation& in) { return imghost::admin::user_command(*in.config, in.args, stdin, stdout); }
int invite_command(const Invocation& in) { return imghost::admin::invite_command(*in.config, in.args, stdout); }
// Moderation (admin/moderation.hpp).
int moderation_command(const Invocation& in) { return imghost::admin::moderation_command(*in.config, in.args, stdout); }

struct Command {
  std::string_view name;
  std::string_view usage;    // the arguments, name first, as the usage message shows them
  std::string_view summary;  // what it does, in one line
  int (*run)(const Invocation&);
  // Takes no arguments and reads no configuration: runs even where none can be loaded.
  bool bare = false;
};

// In the order of the usage message.
constexpr std::array kCommands{
    Command{"migrate", "migrate", "apply sql/ migrations, bring the store's layout and file names up to date",
            migrate_command},
    Command{"fsck", "fsck [--fix] [--grace SECONDS] [--force]", "the repair check: rows and files agree", fsck_command},
    Command{"config", "config get KEY | config list | config nginx-sed",
            "the configuration in force, as the workers read it", config_command},
    Command{"migrate-store", "migrate-store --to s3|local", "move every file to the store the configuration names",
            migrate_store_command},
    Command{"claim", "claim JOB --every SECONDS", "whether this machine runs the scheduled JOB now", claim_command},
    Command{"expire", "expire", "remove what has expired", expire_command},
    Command{"restore-files", "restore-files SNAPSHOT", "copy a backup's store snapshot into the store",
            restore_files_command},
    Command{"routes", "routes", "the workers' route table: METHOD PATTERN FLAGS", routes_command, true},
    Command{"user",
            "user add NAME [--admin] [--quota SIZE] | list | disable NAME | enable NAME | quota NAME SIZE|default",
            "accounts", user_command},
    Command{"invite", "invite create [--days N]", "an invite code for signup = invite", invite_command},
    Command{"takedown", "takedown ID --reason TEXT", "take an image or album down: its links answer 451",
            moderation_command},
    Command{"block", "block ID|--sha256 HEX|--file FILE --reason TEXT",
            "ban content: an image's bytes and pixels, a digest, a file of digests", moderation_command},
    Command{"unblock", "unblock BLOCK_ID --reason TEXT", "lift a ban", moderation_command},
    Command{"reports", "reports [--limit N]", "the open reports, newest first", moderation_command},
};

constexpr bool names_are_unique() {
  for (std::size_t i = 0; i < kCommands.size(); ++i)
    for (std::size_t j = i + 1; j < kCommands.size(); ++j)
      if (kCommands[i].name == kCommands[j].name) return false;
  return true;
}
static_assert(names_are_unique(), "two rows of kCommands have the same name");

constexpr bool usage_starts_with_name() {
  for (const auto& c : kCommands)
    if (c.usage.substr(0, c.name.size()) != c.name) return false;
  return true;
}
static_assert(usage_starts_with_name(), "a row's usage does not start with its name");

const Command* find_command(std::string_view name) {
  for (const auto& c : kCommands)
    if (c.name == name) return &c;
  return nullptr;
}

int usage(const char* argv0) {
  std::string text;
  for (const auto& c : kCommands) {
    text += text.empty() ? "usage: " : "       ";
    text += argv0;
    text += c.bare ? " " : " [--config FILE] ";
    text += c.usage;
    text += '\n';
  }
  std::fputs(text.c_str(), stderr);
  return 2;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace imghost;
  std::optional<std::filesystem::path> config_file;
  if (const char* c = std::getenv("IMGHOST_CONFIG")) config_file = c;
  std::vector<std::string> args;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--config" && i + 1 < argc)
      config_file = argv[++i];
    else
      args.push_back(a);
  }
  if (args.empty()) return usage(argv[0]);
  const Command* command = find_command(args[0]);
  if (command && command->bare) {
    if (args.size() == 1) return command->run({argv[0], args, nullptr});
    command = nullptr;  // bad usage, told once the configuration is loaded, as for any command
  }
  try {
    const Config config = Config::load(config_file);
    if (!command) return usage(argv[0]);
    // The log's language (the cleanup and the repair check write app.log lines).  Only
    // that one: `config get` must work before the catalogs are built or installed.
    if (config.log_language != "en") {
      try {
        i18n::load(config.locale_dir, {config.log_language});
      } catch (const std::exception& e) {
        std::fprintf(stderr, "imghost-admin: %s; the log stays in English\n", e.what());
      }
    }
    return command->run({argv[0], args, &config});
  } catch (const std::exception& e) {
    std::fprintf(stderr, "imghost-admin: %s\n", e.what());
    return 1;
  }
}
