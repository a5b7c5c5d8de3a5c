#include "db/server_keys.hpp"

#include <stdexcept>

namespace imghost::db {

std::string page_cursor_key(Connection& c) {
  auto r = c.run("page_cursor_key", "SELECT key FROM server_keys WHERE name = 'page_cursor'", {});
  if (r.rows() == 0) throw std::runtime_error("no page cursor key in server_keys: run imghost-admin migrate");
  return from_bytea(r.get(0, 0));
}

}  // namespace imghost::db
