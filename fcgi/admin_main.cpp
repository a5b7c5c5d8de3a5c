// imghost-admin: the operator's command.
//
//   imghost-admin [--config FILE] migrate     apply sql/ migrations
//
// Same configuration as the workers (file, then IMGHOST_* environment).
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <string>
#include <vector>

#include "admin/migrate.hpp"
#include "config.hpp"
#include "db/pg.hpp"

namespace {

int usage(const char* argv0) {
  std::fprintf(stderr, "usage: %s [--config FILE] migrate\n", argv0);
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
    if (a == "--config" && i + 1 < argc) config_file = argv[++i];
    else args.push_back(a);
  }
  if (args.empty()) return usage(argv[0]);
  try {
    const Config config = Config::load(config_file);
    if (args[0] == "migrate" && args.size() == 1) {
      db::Connection conn(config.database);
      const auto applied = admin::migrate(conn, config.sql_dir);
      for (const auto& v : applied) std::printf("applied %s\n", v.c_str());
      if (applied.empty()) std::printf("schema up to date\n");
      return 0;
    }
    return usage(argv[0]);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "imghost-admin: %s\n", e.what());
    return 1;
  }
}
