#include "db/users_repo.hpp"

#include "db/images_repo.hpp"
#include "db/sql_fragments.hpp"

namespace imghost::db {
namespace {

// The column list by hand: clang-format would split a column's name across two literals.
// clang-format off
#define USER_COLUMNS                                                                         \
  "u.id, u.username, u.password_hash, u.is_admin, u.disabled, u.quota_bytes, u.used_bytes, " \
  SQL_ISO_UTC("u.created_at")
// clang-format on

UserRecord user_at(const Result& r, int row, int first = 0) {
  UserRecord u;
  u.id = r.get_int(row, first);
  u.username = r.get(row, first + 1);
  u.password_hash = r.get(row, first + 2);
  u.is_admin = r.get(row, first + 3) == "t";
  u.disabled = r.get(row, first + 4) == "t";
  if (!r.is_null(row, first + 5)) u.quota_bytes = r.get_int(row, first + 5);
  u.used_bytes = r.get_int(row, first + 6);
  u.created_at = r.get(row, first + 7);
  return u;
}

std::optional<UserRecord> one_user(const Result& r) {
  if (r.rows() == 0) return std::nullopt;
  return user_at(r, 0);
}

Param quota_param(std::optional<long long> q) { return q ? Param(std::to_string(*q)) : Param(); }

TokenRecord token_at(const Result& r, int row) {
  return {std::string(r.get(row, 0)), std::string(r.get(row, 1)), std::string(r.get(row, 2)), r.get_opt(row, 3)};
}

}  // namespace

UserRecord UsersRepo::insert_user(const std::string& username, const std::string& password_hash, bool is_admin,
                                  std::optional<long long> quota_bytes) {
  auto r = c_.run("insert_user",
                  "WITH u AS (INSERT INTO users (username, password_hash, is_admin, quota_bytes)"
                  " VALUES ($1, $2, $3, $4) RETURNING *) SELECT " USER_COLUMNS " FROM u",
                  {username, password_hash, is_admin ? "true" : "false", quota_param(quota_bytes)});
  return user_at(r, 0);
}

std::optional<UserRecord> UsersRepo::find_by_name(const std::string& username) {
  return one_user(
      c_.run("user_by_name", "SELECT " USER_COLUMNS " FROM users u WHERE lower(u.username) = lower($1)", {username}));
}

std::optional<UserRecord> UsersRepo::find_by_id(long long id) {
  return one_user(c_.run("user_by_id", "SELECT " USER_COLUMNS " FROM users u WHERE u.id = $1", {std::to_string(id)}));
}

std::vector<UserRecord> UsersRepo::all() {
  auto r = c_.run("all_users", "SELECT " USER_COLUMNS " FROM users u ORDER BY u.id", {});
  std::vector<UserRecord> out;
  for (int i = 0; i < r.rows(); ++i) out.push_back(user_at(r, i));
  return out;
}

std::vector<UserRecord> UsersRepo::page(std::optional<long long> after, int limit) {
  auto r = c_.run("users_page",
                  "SELECT " USER_COLUMNS
                  " FROM users u WHERE u.id > COALESCE($1::bigint, 0)"
                  " ORDER BY u.id LIMIT $2",
                  {after ? Param(std::to_string(*after)) : Param(), std::to_string(limit)});
  return r.map([](const Result& res, int row) { return user_at(res, row); });
}

bool UsersRepo::set_disabled(const std::string& username, bool disabled) {
  return c_.run("user_disable", "UPDATE users SET disabled = $2 WHERE lower(username) = lower($1)",
                {username, disabled ? "true" : "false"})
             .affected() == 1;
}

bool UsersRepo::set_quota(const std::string& username, std::optional<long long> quota_bytes) {
  return c_.run("user_quota", "UPDATE users SET quota_bytes = $2 WHERE lower(username) = lower($1)",
                {username, quota_param(quota_bytes)})
             .affected() == 1;
}

void UsersRepo::set_password_hash(long long id, const std::string& password_hash) {
  c_.run("user_password", "UPDATE users SET password_hash = $2 WHERE id = $1", {std::to_string(id), password_hash});
}

std::optional<UserRecord> UsersRepo::lock_for_update(long long id) {
  return one_user(c_.run("user_lock", "SELECT " USER_COLUMNS " FROM users u WHERE u.id = $1 FOR NO KEY UPDATE",
                         {std::to_string(id)}));
}

void UsersRepo::add_used_bytes(long long id, long long delta) {
  c_.run("user_used", "UPDATE users SET used_bytes = GREATEST(used_bytes + $2, 0) WHERE id = $1",
         {std::to_string(id), std::to_string(delta)});
}

void UsersRepo::insert_session(const crypto::Sha256& id_hash, long long user_id, unsigned days) {
  c_.run("session_insert",
         "INSERT INTO sessions (id_hash, user_id, expires_at) VALUES ($1, $2, now() + make_interval(days => $3))",
         {bytea_param(id_hash), std::to_string(user_id), std::to_string(days)});
}

std::optional<UserRecord> UsersRepo::session_user(const crypto::Sha256& id_hash) {
  return one_user(c_.run("session_user",
                         "SELECT " USER_COLUMNS " FROM sessions s JOIN users u ON u.id = s.user_id"
                         " WHERE s.id_hash = $1 AND s.expires_at > now() AND NOT u.disabled",
                         {bytea_param(id_hash)}));
}

void UsersRepo::delete_session(const crypto::Sha256& id_hash) {
  c_.run("session_delete", "DELETE FROM sessions WHERE id_hash = $1", {bytea_param(id_hash)});
}

void UsersRepo::delete_sessions_of(long long user_id) {
  c_.run("sessions_of_delete", "DELETE FROM sessions WHERE user_id = $1", {std::to_string(user_id)});
}

void UsersRepo::delete_expired_sessions() {
  c_.run("sessions_expired_delete", "DELETE FROM sessions WHERE expires_at <= now()", {});
}

TokenRecord UsersRepo::insert_token(const std::string& id, long long user_id, const std::string& name,
                                    const crypto::Sha256& secret_hash) {
  auto r = c_.run("token_insert",
                  "INSERT INTO api_tokens (id, user_id, name, secret_hash) VALUES ($1, $2, $3, $4)"
                  " RETURNING id, name, " SQL_ISO_UTC("created_at") ", " SQL_ISO_UTC("last_used_at"),
                  {id, std::to_string(user_id), name, bytea_param(secret_hash)});
  return token_at(r, 0);
}

std::vector<TokenRecord> UsersRepo::tokens_of(long long user_id) {
  auto r = c_.run("tokens_of",
                  "SELECT id, name, " SQL_ISO_UTC("created_at") ", " SQL_ISO_UTC(
                      "last_used_at") " FROM api_tokens WHERE user_id = $1 ORDER BY created_at, id",
                  {std::to_string(user_id)});
  std::vector<TokenRecord> out;
  for (int i = 0; i < r.rows(); ++i) out.push_back(token_at(r, i));
  return out;
}

bool UsersRepo::delete_token(long long user_id, const std::string& id) {
  return c_.run("token_delete", "DELETE FROM api_tokens WHERE id = $1 AND user_id = $2", {id, std::to_string(user_id)})
             .affected() == 1;
}

std::optional<UsersRepo::TokenUser> UsersRepo::token_user(const crypto::Sha256& secret_hash) {
  // One statement: find the token and, when its last use is over a minute old, note
  // this one.  The UPDATE's RETURNING gives nothing when no update was due, so the
  // SELECT answers either way.
  auto r = c_.run("token_user",
                  "WITH t AS (SELECT id, user_id, last_used_at FROM api_tokens WHERE secret_hash = $1),"
                  " touched AS (UPDATE api_tokens a SET last_used_at = now() FROM t"
                  "   WHERE a.id = t.id AND (t.last_used_at IS NULL OR t.last_used_at < now() - interval '1 minute'))"
                  " SELECT " USER_COLUMNS ", t.id FROM t JOIN users u ON u.id = t.user_id WHERE NOT u.disabled",
                  {bytea_param(secret_hash)});
  if (r.rows() == 0) return std::nullopt;
  return TokenUser{user_at(r, 0), std::string(r.get(0, 8))};
}

void UsersRepo::insert_invite(const crypto::Sha256& code_hash, unsigned days) {
  c_.run("invite_insert", "INSERT INTO invites (code_hash, expires_at) VALUES ($1, now() + make_interval(days => $2))",
         {bytea_param(code_hash), std::to_string(days)});
}

bool UsersRepo::claim_invite(const crypto::Sha256& code_hash, long long user_id) {
  return c_.run("invite_claim",
                "UPDATE invites SET used_by = $2, used_at = now()"
                " WHERE code_hash = $1 AND used_at IS NULL AND expires_at > now()",
                {bytea_param(code_hash), std::to_string(user_id)})
             .affected() == 1;
}

}  // namespace imghost::db
