#include "db/schema_migrations.hpp"

namespace imghost::db {

void create_schema_migrations(Connection& c) {
  c.exec(
      "CREATE TABLE IF NOT EXISTS schema_migrations ("
      " version text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())");
}

bool migration_applied(Connection& c, const std::string& version) {
  return c.run("migration_applied", "SELECT 1 FROM schema_migrations WHERE version = $1", {version}).rows() > 0;
}

void apply_migration(Connection& c, const std::string& version, const std::string& sql) {
  Transaction tx(c);
  c.exec(sql);
  c.run("migration_record", "INSERT INTO schema_migrations (version) VALUES ($1)", {version});
  tx.commit();
}

}  // namespace imghost::db
