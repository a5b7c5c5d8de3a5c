// Moderation without HTTP: reports from anyone, and the admin's actions (take-down,
// block, unblock) with the audit log they all write.  The API (handlers/admin_api.cpp),
// the admin pages and `imghost-admin` call these; who may is decided here.
//
// A take-down removes an image through image_removal::remove_image, the one removal
// path (rows, then the original, the thumbnail, this machine's nginx cache entry and,
// with the variants work, its variants: whatever that path removes goes), after writing
// its tombstone (sql/013): from then on its id and file name answer 451
// (catalog::find_live, find_live_named, tombstone_of_name).  An album's take-down takes
// down every image of it that is in no other album, then removes the album.
//
// Every action writes one audit row (in the action's own transaction where it has one)
// and one line of the application log: `[...] Admin: <who> <did what> (<reason>).`
// Everything throws imghost::Error with the API's codes, or db::DbError.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "base/crypto.hpp"
#include "core/app.hpp"
#include "core/identity.hpp"
#include "domain/moderation_records.hpp"
#include "domain/user_record.hpp"

namespace imghost::moderation {

// Who acts: an admin account (the site, the API) or the shell (`imghost-admin`, whose
// user can read the configuration and the database anyway).
struct Actor {
  std::optional<long long> admin_id;
  std::string name;  // the admin's username, or "shell"
};
inline Actor shell_actor() { return {std::nullopt, "shell"}; }

// The admin behind a caller.  Everyone else gets not_found: the admin area does not
// exist for them (404, never 403).
Actor require_admin(const Caller& caller);
bool is_admin(const Caller& caller);

// A report of an image or album by anyone (`reporter`: the account, if logged in).
// Throws bad_request for an unknown reason or details over 1000 characters, not_found
// when the target is neither a live image nor a live album.  Returns the report's id.
struct NewReport {
  std::string target;
  std::string reason;
  std::string details;
};
long long report(App& app, const NewReport& r, std::optional<long long> reporter);
// What a report of `target` would name: a live image or album; else throws not_found
// (451 when it is taken down already).
TargetKind report_target(App& app, const std::string& target);

// Open reports, newest first, before report id `before`.
std::vector<ReportRecord> open_reports(App& app, std::optional<long long> before, int limit);
// Closes the open reports of a target without acting on it (audited).
int dismiss_reports(App& app, const Actor& who, const std::string& target, const std::string& reason);

// Takes down the image or album `target`; throws not_found when it is neither,
// conflict when it is taken down already, bad_request for an empty reason.  Resolves
// the target's open reports.
TakedownRecord takedown(App& app, const Actor& who, const std::string& target, const std::string& reason);

// The tombstone of an id (an image's or an album's) or of an image's file name.
std::optional<TakedownRecord> tombstone_of(App& app, const std::string& id);
std::optional<TakedownRecord> tombstone_of_name(App& app, const std::string& name);
// The tombstone of any of these file names (nullopt for names that are not file names).
std::optional<TakedownRecord> tombstone_of_any_name(App& app, const std::vector<std::string>& names);

// Bans content: that of the image `target` (its bytes' SHA-256 and its pixels'
// perceptual hash, read from the store), or a SHA-256 given in hex (bytes only: there
// are no pixels to hash).  Exactly one of `target` and `sha256_hex`.  Throws
// bad_request (neither, both, a malformed digest, an empty reason) or not_found.
struct BlockRequest {
  std::optional<std::string> target;
  std::optional<std::string> sha256_hex;
  std::string reason;
};
BlockRecord block(App& app, const Actor& who, const BlockRequest& r);
// Bans the content of the image `target` (block, above) and takes the image down
// (takedown): the admin area's "ban".  Throws as those do; not_found for an album.
TakedownRecord ban(App& app, const Actor& who, const std::string& target, const std::string& reason);
// Lifts a ban; throws not_found.
BlockRecord unblock(App& app, const Actor& who, long long id, const std::string& reason);
std::vector<BlockRecord> blocks(App& app, std::optional<long long> before, int limit);

// Throws blocked (451) when an upload's bytes (`digests`: as uploaded, and as stored
// after metadata stripping) or its pixels (`phash`) are on the block list.  `shown`
// names the file in the message.
void check_not_blocked(App& app, const std::vector<crypto::Sha256>& digests, std::optional<std::uint64_t> phash,
                       const std::string& shown);

// The audit log, newest first, before entry id `before`.
std::vector<AuditRecord> audit(App& app, std::optional<long long> before, int limit);
// An admin action that is not one of the above (disable a user, remove their uploads):
// its audit row, and `line` (what was done, e.g. "disabled the account bob") in app.log.
void record(App& app, const Actor& who, const std::string& action, const std::string& target, const std::string& reason,
            const i18n::Message& line);

}  // namespace imghost::moderation
