// The schema_migrations table: which sql/ files this database has been migrated with
// (admin/migrate.hpp applies them).
#pragma once

#include <string>

#include "db/pg.hpp"

namespace imghost::db {

// Makes the table in a database that has none yet.  Throws DbError.
void create_schema_migrations(Connection& c);

// Whether the file named `version` has been applied.  Throws DbError.
bool migration_applied(Connection& c, const std::string& version);

// Runs `sql` (the file's statements) and records `version` as applied, in one
// transaction: a failure leaves neither.  Throws DbError.
void apply_migration(Connection& c, const std::string& version, const std::string& sql);

}  // namespace imghost::db
