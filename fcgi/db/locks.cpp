#include "db/locks.hpp"

#include <cstring>
#include <string>

namespace imghost::db {

long long content_lock_key(const crypto::Sha256& sha) {
  long long k = 0;
  std::memcpy(&k, sha.data(), sizeof k);
  return k;
}

namespace {
constexpr const char* kLockContent = "SELECT pg_advisory_xact_lock($1)";
}

void lock_content(Connection& c, const crypto::Sha256& sha) {
  c.run("lock_content", kLockContent, {std::to_string(content_lock_key(sha))});
}

Statement lock_content_statement(const crypto::Sha256& sha) {
  return {"lock_content", kLockContent, {std::to_string(content_lock_key(sha))}};
}

SessionLock::SessionLock(Connection& c, const crypto::Sha256& content)
    : c_(c), named_(false), key_(content_lock_key(content)) {
  c_.run("lock_content_session", "SELECT pg_advisory_lock($1)", {std::to_string(key_)});
}

SessionLock::SessionLock(Connection& c, NamedLock name) : c_(c), named_(true), key_(static_cast<int>(name)) {
  c_.run("lock_named", "SELECT pg_advisory_lock($1, $2)", {std::to_string(kNamedLockSpace), std::to_string(key_)});
}

SessionLock::~SessionLock() {
  try {
    if (named_)
      c_.run("unlock_named", "SELECT pg_advisory_unlock($1, $2)",
             {std::to_string(kNamedLockSpace), std::to_string(key_)});
    else
      c_.run("unlock_content_session", "SELECT pg_advisory_unlock($1)", {std::to_string(key_)});
  } catch (...) {
    // The connection is gone, and with it the lock.
  }
}

}  // namespace imghost::db
