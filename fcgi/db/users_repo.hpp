// The accounts tables (sql/004_accounts.sql): users, sessions, api_tokens, invites.
//
// Every method runs one statement on the given connection and throws db::DbError (a
// taken username is SQLSTATE 23505, kUniqueViolation).  Secrets arrive here already
// hashed: a password as its Argon2id string, a session id, token or invite code as the
// SHA-256 of its bytes.  Nothing here ever sees one in the clear.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "base/crypto.hpp"
#include "db/pg.hpp"
#include "domain/user_record.hpp"

namespace imghost::db {

inline constexpr const char* kUniqueViolation = "23505";

class UsersRepo {
 public:
  explicit UsersRepo(Connection& c) : c_(c) {}

  // Inserts; throws DbError kUniqueViolation when the name is taken (in any case).
  UserRecord insert_user(const std::string& username, const std::string& password_hash, bool is_admin,
                         std::optional<long long> quota_bytes);
  // By name, case-insensitively.
  std::optional<UserRecord> find_by_name(const std::string& username);
  std::optional<UserRecord> find_by_id(long long id);
  std::vector<UserRecord> all();
  // A page of accounts by id, oldest first, after id `after` (keyset; the admin's list).
  std::vector<UserRecord> page(std::optional<long long> after, int limit);
  bool set_disabled(const std::string& username, bool disabled);
  bool set_quota(const std::string& username, std::optional<long long> quota_bytes);
  void set_password_hash(long long id, const std::string& password_hash);

  // The upload's quota check: locks the row until the transaction ends against other
  // quota checks and used-bytes updates (FOR NO KEY UPDATE).  Not FOR UPDATE: the upload
  // has already inserted image rows referring to the account, and their foreign key
  // holds a KEY SHARE lock on this row, which FOR UPDATE waits for; two uploads of one
  // account would each wait for the other's (a deadlock).  nullopt when the account is
  // gone.
  std::optional<UserRecord> lock_for_update(long long id);
  // used_bytes += delta (never below 0).  Inside the transaction that holds the lock.
  void add_used_bytes(long long id, long long delta);

  // Sessions: the user of a live session (not expired, account not disabled).
  void insert_session(const crypto::Sha256& id_hash, long long user_id, unsigned days);
  std::optional<UserRecord> session_user(const crypto::Sha256& id_hash);
  void delete_session(const crypto::Sha256& id_hash);
  // Every session of an account (it was disabled); and the expired ones of everybody.
  void delete_sessions_of(long long user_id);
  void delete_expired_sessions();

  // API tokens.
  TokenRecord insert_token(const std::string& id, long long user_id, const std::string& name,
                           const crypto::Sha256& secret_hash);
  std::vector<TokenRecord> tokens_of(long long user_id);
  // Deletes the token `id` if it is one of `user_id`'s; false otherwise.
  bool delete_token(long long user_id, const std::string& id);
  // The user of a token (account not disabled) and the token's id; marks it used
  // (last_used_at, at most once a minute so a busy script does not write every request).
  struct TokenUser {
    UserRecord user;
    std::string token_id;
  };
  std::optional<TokenUser> token_user(const crypto::Sha256& secret_hash);

  // Invites: made by the admin command, used once by a signup within its lifetime.
  void insert_invite(const crypto::Sha256& code_hash, unsigned days);
  // Marks the invite used by `user_id`; false when unknown, used or expired.  Call in
  // the transaction that inserts the user, so a failed signup does not use it up.
  bool claim_invite(const crypto::Sha256& code_hash, long long user_id);

 private:
  Connection& c_;
};

}  // namespace imghost::db
