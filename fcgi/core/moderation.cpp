#include "core/moderation.hpp"

#include <fmt/format.h>

#include "core/album_removal.hpp"
#include "core/image_removal.hpp"
#include "db/albums_repo.hpp"
#include "db/images_repo.hpp"
#include "db/moderation_repo.hpp"
#include "domain/error.hpp"
#include "domain/free_text.hpp"
#include "domain/naming.hpp"
#include "image/perceptual_hash.hpp"

namespace imghost::moderation {
namespace {

// An admin's reason: required, one line of free text.
std::string checked_reason(const std::string& reason) {
  auto r = checked_free_text(reason, "reason", kMaxDescriptionChars);
  if (!r) throw errors::bad_request(i18n::msg("say why: the reason is required"));
  return *r;
}

// The audit row (in the caller's transaction, if any) and the log line of one action.
void audit_and_log(App& app, const Actor& who, const std::string& action, const std::string& target,
                   const std::string& reason, const i18n::Message& line) {
  db::ModerationRepo(app.db()).insert_audit(who.admin_id, who.name, action, target, reason);
  const auto& language = app.log().language();
  app.log().write(i18n::msg("Admin").in(language), i18n::msg("{} {} ({}).", who.name, line, reason).in(language));
}

// The perceptual hash as PostgreSQL's bigint keeps it (the same 64 bits, signed).
std::int64_t as_stored(std::uint64_t h) { return static_cast<std::int64_t>(h); }

TakedownRecord takedown_image(App& app, const Actor& who, const ImageRecord& rec, const std::string& reason,
                              const std::optional<std::string>& album_id) {
  auto& conn = app.db();
  db::ModerationRepo repo(conn);
  db::NewTakedown t;
  t.kind = TargetKind::image;
  t.target_id = rec.id;
  t.name = rec.name;
  t.sha256 = crypto::sha256_from_hex(rec.sha256);
  t.original_filename = rec.original_filename;
  t.owner_id = rec.owner_id;
  t.album_id = album_id;
  t.reason = reason;
  t.admin_id = who.admin_id;
  {
    // The tombstone first: from its COMMIT on, the id answers 451 as soon as the row is
    // gone.  A crash between the two leaves the image served and its tombstone written;
    // taking it down again finishes the removal.
    db::Transaction tx(conn);
    repo.insert_takedown(t);
    repo.resolve_reports(rec.id, who.admin_id);
    audit_and_log(app, who, "takedown", rec.id, reason, i18n::msg("took down image {}", rec.name));
    tx.commit();
  }
  const auto sha = crypto::sha256_from_hex(rec.sha256);
  if (sha) image_removal::remove_image(conn, app.store(), app.log(), rec.id, *sha);
  return *repo.takedown_of_target(rec.id);
}

}  // namespace

bool is_admin(const Caller& caller) { return caller.account && caller.account->is_admin && !caller.account->disabled; }

Actor require_admin(const Caller& caller) {
  if (!is_admin(caller)) throw errors::not_found(i18n::msg("no such page"));
  return {caller.account->id, caller.account->username};
}

long long report(App& app, const NewReport& r, std::optional<long long> reporter) {
  if (!is_report_reason(r.reason))
    throw errors::bad_request(i18n::msg("reason must be one of spam, illegal, copyright, privacy, other"));
  const auto details = checked_free_text(r.details, "details", kMaxDescriptionChars);
  const auto kind = report_target(app, r.target);
  const auto id = db::ModerationRepo(app.db()).insert_report(kind, r.target, r.reason, details, reporter);
  app.log().success(kind == TargetKind::image ? i18n::msg("image {} reported ({}).", r.target, r.reason)
                                              : i18n::msg("album {} reported ({}).", r.target, r.reason));
  return id;
}

TargetKind report_target(App& app, const std::string& target) {
  if (!naming::is_image_id(target)) throw errors::not_found(i18n::msg("no such image or album"));
  if (auto img = db::ImagesRepo(app.db()).find(target); img && !img->expired) return TargetKind::image;
  if (auto album = db::AlbumsRepo(app.db()).find(target); album && !album->expired && album->status != "deleting")
    return TargetKind::album;
  if (tombstone_of(app, target))
    throw errors::taken_down(i18n::msg("this has been taken down by the operator already"));
  throw errors::not_found(i18n::msg("no such image or album"));
}

std::vector<ReportRecord> open_reports(App& app, std::optional<long long> before, int limit) {
  return db::ModerationRepo(app.db()).open_reports(before, limit);
}

int dismiss_reports(App& app, const Actor& who, const std::string& target, const std::string& reason) {
  const auto why = checked_reason(reason);
  db::Transaction tx(app.db());
  const int n = db::ModerationRepo(app.db()).resolve_reports(target, who.admin_id);
  if (n == 0) throw errors::not_found(i18n::msg("no open report of this target"));
  audit_and_log(app, who, "dismiss", target, why, i18n::msg("dismissed the reports of {}", target));
  tx.commit();
  return n;
}

TakedownRecord takedown(App& app, const Actor& who, const std::string& target, const std::string& reason) {
  const auto why = checked_reason(reason);
  if (!naming::is_image_id(target)) throw errors::not_found(i18n::msg("no such image or album"));
  auto& conn = app.db();
  if (auto img = db::ImagesRepo(conn).find(target)) return takedown_image(app, who, *img, why, std::nullopt);
  auto album = db::AlbumsRepo(conn).find(target);
  if (!album || album->status == "deleting") {
    if (tombstone_of(app, target)) throw errors::conflict(i18n::msg("already taken down"));
    throw errors::not_found(i18n::msg("no such image or album"));
  }
  db::ModerationRepo repo(conn);
  db::NewTakedown t;
  t.kind = TargetKind::album;
  t.target_id = album->id;
  t.owner_id = album->owner_id;
  t.reason = why;
  t.admin_id = who.admin_id;
  {
    db::Transaction tx(conn);
    repo.insert_takedown(t);
    repo.resolve_reports(album->id, who.admin_id);
    audit_and_log(app, who, "takedown", album->id, why, i18n::msg("took down album {}", album->id));
    tx.commit();
  }
  // Its images that are in no other album (an album holds at most 1000) go first, each
  // with a tombstone of its own; then the album itself.
  for (const auto& m : db::AlbumsRepo(conn).images_only_here(album->seq, 1000))
    if (auto img = db::ImagesRepo(conn).find(m.id)) takedown_image(app, who, *img, why, album->id);
  album_removal::remove_album(app, album->seq, i18n::msg("album {} taken down.", album->id));
  return *repo.takedown_of_target(album->id);
}

std::optional<TakedownRecord> tombstone_of(App& app, const std::string& id) {
  if (!naming::is_image_id(id)) return std::nullopt;
  return db::ModerationRepo(app.db()).takedown_of_target(id);
}

std::optional<TakedownRecord> tombstone_of_name(App& app, const std::string& name) {
  if (!naming::is_file_name(name)) return std::nullopt;
  return db::ModerationRepo(app.db()).takedown_of_name(name);
}

std::optional<TakedownRecord> tombstone_of_any_name(App& app, const std::vector<std::string>& names) {
  std::vector<std::string> valid;
  for (const auto& n : names)
    if (naming::is_file_name(n)) valid.push_back(n);
  if (valid.empty()) return std::nullopt;
  return db::ModerationRepo(app.db()).takedown_of_any_name(valid);
}

BlockRecord block(App& app, const Actor& who, const BlockRequest& r) {
  const auto why = checked_reason(r.reason);
  if (r.target.has_value() == r.sha256_hex.has_value())
    throw errors::bad_request(i18n::msg("give either target (an image id) or sha256"));
  crypto::Sha256 sha{};
  std::optional<std::int64_t> phash;
  std::optional<i18n::Message> what;
  if (r.sha256_hex) {
    const auto d = crypto::sha256_from_hex(*r.sha256_hex);
    if (!d) throw errors::bad_request(i18n::msg("sha256 must be 64 hex digits"));
    sha = *d;
    what = i18n::msg("blocked content {}", crypto::to_hex(sha));
  } else {
    if (!naming::is_image_id(*r.target)) throw errors::not_found(i18n::msg("no such image"));
    auto img = db::ImagesRepo(app.db()).find(*r.target);
    if (!img) throw errors::not_found(i18n::msg("no such image"));
    sha = *crypto::sha256_from_hex(img->sha256);
    what = i18n::msg("blocked the content of image {}", img->name);
    try {
      if (auto bytes = app.store().read(store::Object::original, img->name))
        phash = as_stored(image::perceptual_hash_of(*bytes, app.config().image));
    } catch (const std::exception& e) {
      // The bytes are still banned; near-identical copies are not.
      app.log().error(i18n::msg("no perceptual hash for the block of {}: {}", img->name, e.what()));
    }
  }
  db::Transaction tx(app.db());
  auto rec = db::ModerationRepo(app.db()).insert_block(sha, phash, why, who.admin_id);
  audit_and_log(app, who, "block", rec.sha256, why, *what);
  tx.commit();
  return rec;
}

TakedownRecord ban(App& app, const Actor& who, const std::string& target, const std::string& reason) {
  // The block first: it reads the image's bytes for their perceptual hash, which the
  // take-down removes.
  block(app, who, {target, std::nullopt, reason});
  return takedown(app, who, target, reason);
}

BlockRecord unblock(App& app, const Actor& who, long long id, const std::string& reason) {
  const auto why = checked_reason(reason);
  db::Transaction tx(app.db());
  auto rec = db::ModerationRepo(app.db()).delete_block(id);
  if (!rec) throw errors::not_found(i18n::msg("no such block"));
  audit_and_log(app, who, "unblock", rec->sha256, why, i18n::msg("lifted the block of content {}", rec->sha256));
  tx.commit();
  return *rec;
}

std::vector<BlockRecord> blocks(App& app, std::optional<long long> before, int limit) {
  return db::ModerationRepo(app.db()).blocks(before, limit);
}

void check_not_blocked(App& app, const std::vector<crypto::Sha256>& digests, std::optional<std::uint64_t> phash,
                       const std::string& shown) {
  const auto hit = db::ModerationRepo(app.db()).matching_block(
      digests, phash ? std::optional(as_stored(*phash)) : std::nullopt, image::kSamePictureDistance);
  if (!hit) return;
  app.log().error(i18n::msg("upload of {} refused: blocked content (block {}).", shown, hit->id));
  throw errors::blocked(i18n::msg("{} cannot be uploaded here: the operator has banned this content", shown));
}

std::vector<AuditRecord> audit(App& app, std::optional<long long> before, int limit) {
  return db::ModerationRepo(app.db()).audit(before, limit);
}

void record(App& app, const Actor& who, const std::string& action, const std::string& target, const std::string& reason,
            const i18n::Message& line) {
  audit_and_log(app, who, action, target, checked_reason(reason), line);
}

}  // namespace imghost::moderation
