// imghost-fcgi: the FastCGI worker pool.
//
//   imghost-fcgi [--config FILE]
//
// Reads the configuration (file, then IMGHOST_* environment), opens the listening socket
// (or takes systemd's), and runs the supervisor with one worker per core by default.
#include <fmt/format.h>
#include <unistd.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <optional>
#include <string>

#include "core/app.hpp"
#include "domain/config.hpp"
#include "domain/translate.hpp"
#include "image/magick_setup.hpp"
#include "metrics/metrics.hpp"
#include "server/listen_socket.hpp"
#include "server/supervisor.hpp"
#include "server/worker.hpp"
#include "store/open_store.hpp"

int main(int argc, char** argv) {
  using namespace imghost;
  std::optional<std::filesystem::path> config_file;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--config" && i + 1 < argc) {
      config_file = argv[++i];
    } else {
      std::fprintf(stderr, "usage: %s [--config FILE]\n", argv[0]);
      return 2;
    }
  }
  if (!config_file) {
    if (const char* c = std::getenv("IMGHOST_CONFIG")) config_file = c;
  }
  // N worker processes already use the cores: ImageMagick's OpenMP must not multiply
  // that.  Set before ImageMagick initializes in any worker.
  setenv("OMP_NUM_THREADS", "1", 1);

  Config config;
  try {
    config = Config::load(config_file);
    // Once, before the fork: every worker shares the catalogs' pages.
    i18n::load(config.locale_dir, config.languages);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "imghost: configuration: %s\n", e.what());
    return 2;
  }
  if (!config.magick_policy_dir.empty()) setenv("MAGICK_CONFIGURE_PATH", config.magick_policy_dir.c_str(), 1);

  bool created = false;
  int listen_fd = -1;
  try {
    listen_fd = open_listen_socket(config.socket, created);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "imghost: %s\n", e.what());
    return 1;
  }
  try {
    metrics::create(config.workers);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "imghost: %s\n", e.what());
    return 1;
  }
  const int rc = supervise(config.workers, [&](unsigned slot) -> int {
    metrics::become_worker(slot);
    try {
      image::configure_magick(config.image);
      App app(config, store::open_store(config));
      return run_worker(app, listen_fd);
    } catch (const std::exception& e) {
      std::fprintf(stderr, "imghost: worker %d cannot start: %s\n", getpid(), e.what());
      return 1;
    }
  });
  if (created) ::unlink(config.socket.c_str());
  return rc;
}
