// An account and its API tokens as flows return them and renderers show them (the
// password hash is for the flows that check it; no renderer shows it).
#pragma once

#include <optional>
#include <string>

namespace imghost {

struct UserRecord {
  long long id = 0;
  std::string username;
  std::string password_hash;
  bool is_admin = false;
  bool disabled = false;
  std::optional<long long> quota_bytes;  // nullopt: the configured default
  long long used_bytes = 0;
  std::string created_at;  // ISO 8601, UTC, "Z"
};

struct TokenRecord {
  std::string id;
  std::string name;
  std::string created_at;
  std::optional<std::string> last_used_at;
};

}  // namespace imghost
