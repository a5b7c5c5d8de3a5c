#include "core/app.hpp"

#include <fmt/format.h>

#include "db/pg.hpp"
#include "db/server_keys.hpp"
#include "metrics/metrics.hpp"

namespace imghost {

App::App(Config config, std::unique_ptr<store::Store> store)
    : config_(std::move(config)),
      log_(config_.log_file, config_.log_language),
      store_(std::move(store)),
      assets_(StaticAssets::load(config_.static_dir)) {
  if (!assets_.problem.empty())
    log_.error(fmt::format("static files ({}), pages name them without a version: {}", config_.static_dir.string(),
                           assets_.problem));
}

App::~App() = default;

db::Connection& App::db() {
  // A connection that died while idle (PostgreSQL restarted) is replaced before use, so
  // the first request after a restart does not fail.
  if (db_ && !db_->alive()) drop_db();
  if (!db_) {
    db_ = std::make_unique<db::Connection>(config_.database);
    metrics::set_db_connected(true);
  }
  return *db_;
}

void App::drop_db() {
  db_.reset();
  metrics::set_db_connected(false);
}

const std::string& App::page_cursor_key() {
  if (page_cursor_key_.empty()) page_cursor_key_ = db::page_cursor_key(db());
  return page_cursor_key_;
}

void App::run_deferred() noexcept {
  auto tasks = std::move(deferred_);
  deferred_.clear();
  for (auto& t : tasks) {
    try {
      t();
    } catch (const std::exception& e) {
      // A thumbnail that could not be made now is made on demand when first asked for.
      log_.error(fmt::format("background task failed: {}", e.what()));
    }
  }
}

}  // namespace imghost
