#include "admin/migrate.hpp"

#include <algorithm>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "db/locks.hpp"
#include "db/schema_migrations.hpp"

namespace imghost::admin {

std::vector<std::string> migrate(db::Connection& conn, const std::filesystem::path& sql_dir) {
  std::vector<std::filesystem::path> files;
  for (const auto& e : std::filesystem::directory_iterator(sql_dir))
    if (e.is_regular_file() && e.path().extension() == ".sql") files.push_back(e.path());
  std::sort(files.begin(), files.end());
  if (files.empty()) throw std::runtime_error("no migrations in " + sql_dir.string());

  db::SessionLock lock(conn, db::NamedLock::migrate);
  std::vector<std::string> applied;
  db::create_schema_migrations(conn);
  for (const auto& f : files) {
    const std::string version = f.filename().string();
    if (db::migration_applied(conn, version)) continue;
    std::ifstream in(f);
    if (!in) throw std::runtime_error("cannot read " + f.string());
    std::stringstream ss;
    ss << in.rdbuf();
    db::apply_migration(conn, version, ss.str());
    applied.push_back(version);
  }
  return applied;
}

}  // namespace imghost::admin
