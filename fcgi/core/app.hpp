// Everything one worker process holds for its whole life: configuration, the log, the
// store, and its single PostgreSQL connection.  One per process, used by one thread.
// The program's start (server/main.cpp, admin/main.cpp) opens the store and hands it
// over; the App opens the log and makes its connection when first asked.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "domain/config.hpp"
#include "domain/log.hpp"
#include "domain/static_assets.hpp"
#include "store/store.hpp"

namespace imghost {

namespace db {
class Connection;  // db/pg.hpp: the flows in core/ use it, nothing above them
}

class App {
 public:
  // Opens the log and reads the static files' versions (a problem with those is
  // logged, not fatal: see static_assets.hpp).  Throws std::system_error if the log is
  // unusable.
  App(Config config, std::unique_ptr<store::Store> store);
  ~App();

  const Config& config() const { return config_; }
  AppLog& log() { return log_; }
  const store::Store& store() const { return *store_; }

  // The connection, made on first use and after a lost one.  Throws db::DbError
  // (connection_lost) when PostgreSQL does not answer: the request becomes a 503 and
  // the next request tries again, so the service comes back by itself.
  db::Connection& db();
  void drop_db();

  // The secret that seals page cursors (base/page_cursor.hpp), read from the database
  // on first use and kept for the process's life.  Throws as db() does.
  const std::string& page_cursor_key();

  // Work to do after the response has been sent (thumbnails): the client never waits.
  void after_response(std::function<void()> task) { deferred_.push_back(std::move(task)); }
  void run_deferred() noexcept;

  // "" or the configured public base URL, for absolute links.
  const std::string& base_url() const { return config_.public_base_url; }
  const StaticAssets& assets() const { return assets_; }

 private:
  Config config_;
  AppLog log_;
  std::unique_ptr<store::Store> store_;
  StaticAssets assets_;
  std::unique_ptr<db::Connection> db_;
  std::string page_cursor_key_;
  std::vector<std::function<void()>> deferred_;
};

}  // namespace imghost
