#include "core/accounts.hpp"

#include <fmt/format.h>

#include "base/crypto.hpp"
#include "base/password.hpp"
#include "base/text.hpp"
#include "db/pg.hpp"
#include "db/users_repo.hpp"
#include "domain/error.hpp"
#include "domain/naming.hpp"

namespace imghost::accounts {
namespace {

constexpr std::size_t kSecretChars = 32;  // 160 random bits, like a delete token
constexpr std::string_view kInvitePrefix = "inv_";
constexpr std::string_view kCsrfLabel = "imghost csrf token of session ";

bool all_base32(std::string_view s) {
  return s.find_first_not_of("abcdefghijklmnopqrstuvwxyz234567") == std::string_view::npos;
}

// A session id, token or invite code of the right shape; anything else is never looked
// up (and never hashed from attacker-sized input).
std::optional<std::string_view> secret_part(std::string_view s, std::string_view prefix) {
  if (!s.starts_with(prefix)) return std::nullopt;
  s.remove_prefix(prefix.size());
  if (s.size() != kSecretChars || !all_base32(s)) return std::nullopt;
  return s;
}

void check_text(std::string_view what, std::string_view s, std::size_t min_chars, std::size_t max_chars) {
  if (!text::is_valid_utf8(s)) throw errors::bad_request(i18n::msg("{} is not valid UTF-8", what));
  for (std::size_t i = 0; i < s.size();) {
    char32_t cp = 0;
    const auto n = text::utf8_sequence(s, i, &cp);
    if (text::breaks_display(cp)) throw errors::bad_request(i18n::msg("{} holds a control character", what));
    i += n;
  }
  const auto len = text::utf8_length(s);
  if (len < min_chars || len > max_chars)
    throw errors::bad_request(i18n::msg("{} must be {} to {} characters long", what, min_chars, max_chars));
}

}  // namespace

void check_username(std::string_view name) {
  // The length is checked first: a 10,000-character name is refused without echoing it.
  if (name.size() < 3 || name.size() > 32)
    throw errors::bad_request(i18n::msg("username must be 3 to 32 characters: letters, digits, '_', '.', '-'"));
  const auto ok_first = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0 && (c & 0x80) == 0; };
  if (!ok_first(name[0])) throw errors::bad_request(i18n::msg("username must start with a letter or a digit"));
  for (const char c : name)
    if (!ok_first(c) && c != '_' && c != '.' && c != '-')
      throw errors::bad_request(i18n::msg("username may hold only letters, digits, '_', '.' and '-'"));
}

void check_password(std::string_view password) {
  if (password.size() > kMaxPassword)
    throw errors::bad_request(i18n::msg("password is longer than {} bytes", kMaxPassword));
  check_text("password", password, kMinPassword, kMaxPassword);
}

UserRecord create_account(db::Connection& conn, const std::string& username, const std::string& password, bool is_admin,
                          std::optional<long long> quota_bytes) {
  check_username(username);
  check_password(password);
  const auto hash = password::hash(password);  // before any transaction: the slow part
  try {
    return db::UsersRepo(conn).insert_user(username, hash, is_admin, quota_bytes);
  } catch (const db::DbError& e) {
    if (e.sqlstate() == db::kUniqueViolation) throw errors::conflict(i18n::msg("the username {} is taken", username));
    throw;
  }
}

UserRecord sign_up(App& app, const std::string& username, const std::string& password,
                   const std::optional<std::string>& invite) {
  const auto mode = app.config().signup;
  if (mode == SignupMode::closed)
    throw errors::forbidden(i18n::msg("signup is closed here: an administrator creates accounts"));
  std::optional<crypto::Sha256> invite_hash;
  if (mode == SignupMode::invite) {
    const auto code = secret_part(invite.value_or(""), kInvitePrefix);
    if (!code) throw errors::forbidden(i18n::msg("signup needs an invite code here"));
    invite_hash = crypto::sha256(*invite);
  }
  check_username(username);
  check_password(password);
  const auto hash = password::hash(password);
  auto& conn = app.db();
  db::UsersRepo users(conn);
  try {
    db::Transaction tx(conn);
    auto user = users.insert_user(username, hash, false, std::nullopt);
    if (invite_hash && !users.claim_invite(*invite_hash, user.id))
      throw errors::forbidden(i18n::msg("this invite code is unknown, used or expired"));
    tx.commit();
    app.log().success(i18n::msg("account {} created.", user.username));
    return user;
  } catch (const db::DbError& e) {
    if (e.sqlstate() == db::kUniqueViolation) throw errors::conflict(i18n::msg("the username {} is taken", username));
    throw;
  }
}

UserRecord log_in(App& app, const std::string& username, const std::string& password) {
  // A malformed name or password cannot belong to an account, but is answered like a
  // wrong one (and after as long), so the answer says nothing about the rules.
  std::optional<UserRecord> user;
  db::UsersRepo users(app.db());
  const bool well_formed = username.size() <= 32 && password.size() <= kMaxPassword;
  if (well_formed) user = users.find_by_name(username);
  if (!user) {
    (void)password::verify(password::decoy(), password.substr(0, kMaxPassword));
    throw errors::unauthorized(i18n::msg("wrong username or password"));
  }
  if (!password::verify(user->password_hash, password))
    throw errors::unauthorized(i18n::msg("wrong username or password"));
  if (user->disabled) throw errors::forbidden(i18n::msg("this account is disabled"));
  if (password::needs_rehash(user->password_hash)) users.set_password_hash(user->id, password::hash(password));
  return *user;
}

std::string start_session(App& app, long long user_id) {
  const std::string id = naming::random_base32(kSecretChars);
  db::UsersRepo users(app.db());
  users.insert_session(crypto::sha256(id), user_id, app.config().session_days);
  return id;
}

std::optional<UserRecord> session_user(App& app, std::string_view session_id) {
  const auto id = secret_part(session_id, "");
  if (!id) return std::nullopt;
  return db::UsersRepo(app.db()).session_user(crypto::sha256(*id));
}

void end_session(App& app, std::string_view session_id) {
  const auto id = secret_part(session_id, "");
  if (!id) return;
  db::UsersRepo(app.db()).delete_session(crypto::sha256(*id));
}

std::string csrf_token(std::string_view session_id) {
  std::string input(kCsrfLabel);
  input += session_id;
  const auto d = crypto::sha256(input);
  return crypto::to_hex(d).substr(0, 40);
}

bool csrf_matches(std::string_view session_id, std::string_view given) {
  if (given.empty() || session_id.empty()) return false;
  return crypto::constant_time_equal(csrf_token(session_id), given);
}

NewToken create_token(App& app, const UserRecord& owner, const std::string& name) {
  check_text("token name", name, 1, 100);
  NewToken t;
  t.secret = std::string(kTokenPrefix) + naming::random_base32(kSecretChars);
  t.row = db::UsersRepo(app.db()).insert_token(naming::random_base32(16), owner.id, name, crypto::sha256(t.secret));
  app.log().success(i18n::msg("API token {} created for {}.", t.row.id, owner.username));
  return t;
}

std::vector<TokenRecord> tokens_of(App& app, long long user_id) { return db::UsersRepo(app.db()).tokens_of(user_id); }

void revoke_token(App& app, const UserRecord& owner, const std::string& id) {
  if (!db::UsersRepo(app.db()).delete_token(owner.id, id)) throw errors::not_found(i18n::msg("no such token"));
  app.log().success(i18n::msg("API token {} of {} revoked.", id, owner.username));
}

std::optional<TokenUser> token_user(App& app, std::string_view secret) {
  if (!secret_part(secret, kTokenPrefix)) return std::nullopt;
  auto found = db::UsersRepo(app.db()).token_user(crypto::sha256(secret));
  if (!found) return std::nullopt;
  return TokenUser{std::move(found->user), std::move(found->token_id)};
}

std::string create_invite(db::Connection& conn, unsigned days) {
  const std::string code = std::string(kInvitePrefix) + naming::random_base32(kSecretChars);
  db::UsersRepo(conn).insert_invite(crypto::sha256(code), days);
  return code;
}

long long quota_of(const Config& config, const UserRecord& u) {
  return u.quota_bytes.value_or(static_cast<long long>(config.default_quota));
}

}  // namespace imghost::accounts
