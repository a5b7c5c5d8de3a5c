// Applies sql/NNN_*.sql in name order, each once, each in its own transaction, recorded
// in schema_migrations.  Safe to run concurrently (an advisory lock serializes runs) and
// repeatedly (applied files are skipped).
#pragma once

#include <filesystem>
#include <string>
#include <vector>

#include "db/pg.hpp"

namespace imghost::admin {

// Returns the names of the files applied by this run.  Throws db::DbError or
// std::runtime_error (unreadable file), leaving the failed file's changes rolled back.
std::vector<std::string> migrate(db::Connection& conn, const std::filesystem::path& sql_dir);

}  // namespace imghost::admin
