#include "core/user_admin.hpp"

#include <fmt/format.h>

#include "base/text.hpp"
#include "core/image_removal.hpp"
#include "db/images_repo.hpp"
#include "db/users_repo.hpp"
#include "domain/error.hpp"
#include "domain/free_text.hpp"

namespace imghost::user_admin {
namespace {

// Removal goes in batches, each re-read: what an earlier batch removed is gone.
constexpr int kRemovalBatch = 200;

// The reason checked before anything changes (moderation::record checks it again when
// it writes the audit row, after the change).  Some actions add a few words of their own
// to it (the new quota, how many uploads went): room is kept for them, so the audit row
// never refuses what was already done.
constexpr std::size_t kRoomForDetails = 40;

void require_reason(const std::string& reason) {
  if (!checked_free_text(reason, "reason", kMaxDescriptionChars - kRoomForDetails))
    throw errors::bad_request(i18n::msg("say why: the reason is required"));
}

}  // namespace

UsersPage users(App& app, std::optional<long long> after, int limit) {
  UsersPage page;
  page.users = db::UsersRepo(app.db()).page(after, limit + 1);
  if (static_cast<int>(page.users.size()) > limit) {
    page.users.resize(static_cast<std::size_t>(limit));
    page.next_after = page.users.back().id;
  }
  return page;
}

UserRecord find(App& app, const std::string& username) {
  auto u = db::UsersRepo(app.db()).find_by_name(username);
  if (!u) throw errors::not_found(i18n::msg("no such account"));
  return *u;
}

void set_disabled(App& app, const moderation::Actor& who, const std::string& username, bool disabled,
                  const std::string& reason) {
  require_reason(reason);
  const auto u = find(app, username);
  if (disabled && who.admin_id == u.id) throw errors::conflict(i18n::msg("an admin cannot disable their own account"));
  db::UsersRepo users(app.db());
  users.set_disabled(u.username, disabled);
  // Its sessions end now; its tokens stay, refused while it is disabled.
  if (disabled) users.delete_sessions_of(u.id);
  moderation::record(
      app, who, disabled ? "disable" : "enable", u.username, reason,
      disabled ? i18n::msg("disabled the account {}", u.username) : i18n::msg("enabled the account {}", u.username));
}

void set_quota(App& app, const moderation::Actor& who, const std::string& username, const std::string& quota,
               const std::string& reason) {
  require_reason(reason);
  std::optional<long long> bytes;
  // Empty (the form's way) or "default" (the shell's, as imghost-admin user quota says it).
  if (!quota.empty() && quota != "default") {
    const auto size = text::parse_size(quota);
    if (!size)
      throw errors::bad_request(i18n::msg("the quota must be a size such as 500M or 2G, or empty for the default"));
    bytes = static_cast<long long>(*size);
  }
  const auto u = find(app, username);
  db::UsersRepo(app.db()).set_quota(u.username, bytes);
  moderation::record(app, who, "quota", u.username,
                     fmt::format("{} ({})", reason, bytes ? std::to_string(*bytes) + " bytes" : "default"),
                     bytes ? i18n::msg("set the quota of {} to {} bytes", u.username, *bytes)
                           : i18n::msg("set the quota of {} to the site's default", u.username));
}

long long count_uploads(App& app, const UserRecord& user) { return db::ImagesRepo(app.db()).count_owned(user.id); }

long long remove_uploads(App& app, const moderation::Actor& who, const std::string& username,
                         const std::string& reason) {
  require_reason(reason);
  const auto u = find(app, username);
  db::ImagesRepo images(app.db());
  long long removed = 0;
  for (;;) {
    const auto batch = images.owned(u.id, kRemovalBatch);
    if (batch.empty()) break;
    long long this_batch = 0;
    for (const auto& d : batch)
      if (image_removal::remove_image(app.db(), app.store(), app.log(), d.id, d.sha256)) ++this_batch;
    removed += this_batch;
    if (this_batch == 0) break;  // all removed by others meanwhile: the next read is empty or theirs
  }
  moderation::record(app, who, "remove_uploads", u.username, fmt::format("{} ({} removed)", reason, removed),
                     i18n::msgn("removed {} upload of {}", "removed {} uploads of {}", removed, removed, u.username));
  return removed;
}

}  // namespace imghost::user_admin
