// An admin's actions on accounts (the admin area's users page): disable and enable,
// set the quota, remove every upload.  Each writes the audit log through
// moderation::record (its row and its line of the application log) with the admin's
// reason, required.  The caller has checked that an admin asks.
//
// A disabled account cannot log in (forbidden), its sessions end at once, and its API
// tokens are refused (401) while it stays disabled: the session and token look-ups
// skip disabled accounts (db/users_repo.hpp).
//
// Throws imghost::Error: not_found (no such account), bad_request (an empty reason or
// one over 960 characters, a
// quota that is not a size), conflict (an admin disabling their own account), or
// db::DbError.
#pragma once

#include <optional>
#include <string>

#include "core/app.hpp"
#include "core/moderation.hpp"
#include "domain/admin_records.hpp"

namespace imghost::user_admin {

// A page of accounts, oldest first, after account id `after`.
UsersPage users(App& app, std::optional<long long> after, int limit);
UserRecord find(App& app, const std::string& username);

void set_disabled(App& app, const moderation::Actor& who, const std::string& username, bool disabled,
                  const std::string& reason);
// `quota`: a size as settings write it ("500M", "2G", bytes), or "default" (the
// configured one).
void set_quota(App& app, const moderation::Actor& who, const std::string& username, const std::string& quota,
               const std::string& reason);

// How many uploads (images and videos) the account has: what the confirmation names.
long long count_uploads(App& app, const UserRecord& user);
// Removes every upload of the account, each the way a delete removes it (rows, then
// its files; core/image_removal.hpp), and returns how many went.  Its albums stay (empty).
long long remove_uploads(App& app, const moderation::Actor& who, const std::string& username,
                         const std::string& reason);

}  // namespace imghost::user_admin
