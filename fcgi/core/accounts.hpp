// Accounts: creating them, logging in, sessions, API tokens and invites.  No HTTP here:
// handlers/auth.cpp reads cookies and headers and calls these (the caller through
// core/identity.hpp).
//
// Secrets in the clear exist only in the request that makes or presents them: a
// password is kept as its Argon2id string (base/password.hpp), a session id, an API
// token and an invite code as the SHA-256 of their 160 random bits.  None of them is
// ever written to the log or put in an error message.
//
// The admin command has no App: what it calls takes a connection (db/pg.hpp; declared
// in core/app.hpp).
//
// Every function throws imghost::Error with the API's code (bad_request, unauthorized,
// forbidden, conflict) or db::DbError.  One App per process: not thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/app.hpp"
#include "domain/image_record.hpp"
#include "domain/user_record.hpp"

namespace imghost::accounts {

inline constexpr std::size_t kMinPassword = 8;
// Hashing cost does not depend on the length, but a bound keeps a request from handing
// a megabyte to the hash.
inline constexpr std::size_t kMaxPassword = 1024;
inline constexpr std::string_view kTokenPrefix = "ih_";

// Throws bad_request unless `name` is 3 to 32 characters of A-Z a-z 0-9 _ . -, starting
// with a letter or digit (no control characters, no look-alikes, fits a URL and a log).
void check_username(std::string_view name);
// Throws bad_request unless 8 to 1024 bytes of valid UTF-8 without control characters.
void check_password(std::string_view password);

// Creates an account (the checks above; conflict when the name is taken in any case).
// The signup flow: `signup_allowed` checks the configured mode first, and an invite
// code (signup = invite) is used up in the same transaction as the insert.
UserRecord create_account(db::Connection& conn, const std::string& username, const std::string& password, bool is_admin,
                          std::optional<long long> quota_bytes);
// sign_up logs the account's creation.
UserRecord sign_up(App& app, const std::string& username, const std::string& password,
                   const std::optional<std::string>& invite);

// The account for this username and password.  Unknown names take as long as wrong
// passwords (a decoy hash is verified).  Throws unauthorized ("wrong username or
// password") or forbidden (right password, disabled account).  Re-hashes a password
// stored with older parameters.
UserRecord log_in(App& app, const std::string& username, const std::string& password);

// Sessions: the id (the cookie's value) is returned once and stored hashed.
std::string start_session(App& app, long long user_id);
// The account of a live session; nullopt for an unknown, expired or ended session, or
// a disabled account.  Never throws for a malformed id.
std::optional<UserRecord> session_user(App& app, std::string_view session_id);
void end_session(App& app, std::string_view session_id);
// The CSRF token of a session: derived from its secret id (a hash of it, so the page
// that shows it does not reveal the id), checked against what a form sends.
std::string csrf_token(std::string_view session_id);
bool csrf_matches(std::string_view session_id, std::string_view given);

// API tokens.  The secret ("ih_" and 32 base32 characters) is returned once.
struct NewToken {
  TokenRecord row;
  std::string secret;
};
// `name`: 1 to 100 characters without control characters; bad_request otherwise.  Logs
// the creation.
NewToken create_token(App& app, const UserRecord& owner, const std::string& name);
// The account's tokens (never a secret).
std::vector<TokenRecord> tokens_of(App& app, long long user_id);
// Revokes the token `id` of `owner` and logs it.  Another account's token id is
// not_found, as an unknown one: ids are not confirmed to strangers.
void revoke_token(App& app, const UserRecord& owner, const std::string& id);
// The account of a token and the token's id; nullopt for anything not a live token of
// an enabled account.
struct TokenUser {
  UserRecord user;
  std::string token_id;
};
std::optional<TokenUser> token_user(App& app, std::string_view secret);

// Invites: a code ("inv_" and 32 base32 characters) valid for `days`, returned once.
std::string create_invite(db::Connection& conn, unsigned days);

// The bytes an account may store: its own quota, else the configured default.
long long quota_of(const Config& config, const UserRecord& u);

}  // namespace imghost::accounts
