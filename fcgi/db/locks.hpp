// PostgreSQL advisory locks: every key imghost uses, in one place.
//
// Two key spaces, which PostgreSQL keeps apart: the single 64-bit form for content
// locks (the first 8 bytes of a SHA-256), and the (int, int) form for named locks, all
// under one first key so they never meet another application's.
//
// Content locks order "is this file still referenced?" against the file on disk: an
// upload holds its content's lock from before the rename until COMMIT, a delete from
// before its COMMIT until the unlink, the repair check while it judges a file.
#pragma once

#include "base/crypto.hpp"
#include "db/pg.hpp"

namespace imghost::db {

// The second key of a named lock (the first is kNamedLockSpace).
enum class NamedLock : int {
  migrate = 1,       // one migrator at a time
  repair_check = 2,  // one `imghost-admin fsck` at a time
};
inline constexpr int kNamedLockSpace = 0x696d6768;  // "imgh"

// The content lock's key: the SHA-256's first 8 bytes as a signed 64-bit number.
long long content_lock_key(const crypto::Sha256& sha);

// Takes the content lock for the current transaction (released at COMMIT/ROLLBACK).
void lock_content(Connection& c, const crypto::Sha256& sha);
// The same, as a statement for Connection::begin_and_run.
Statement lock_content_statement(const crypto::Sha256& sha);

// Holds a session-level advisory lock from construction to destruction, on every path
// (a lost connection releases it by itself).  For flows that must keep it past a
// COMMIT: delete then unlink, the repair check.
class SessionLock {
 public:
  SessionLock(Connection& c, const crypto::Sha256& content);
  SessionLock(Connection& c, NamedLock name);
  ~SessionLock();
  SessionLock(const SessionLock&) = delete;
  SessionLock& operator=(const SessionLock&) = delete;

 private:
  Connection& c_;
  bool named_;
  long long key_;
};

}  // namespace imghost::db
