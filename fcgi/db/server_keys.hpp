// The server_keys table (sql/009_page_cursor_key.sql): secrets the site's machines
// share through the database.
#pragma once

#include <string>

#include "db/pg.hpp"

namespace imghost::db {

// The 32-byte key of page cursors.  Throws DbError when PostgreSQL fails, and
// std::runtime_error when the key is missing (the schema is not migrated).
std::string page_cursor_key(Connection& c);

}  // namespace imghost::db
