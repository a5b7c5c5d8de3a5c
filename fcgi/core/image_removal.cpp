#include "core/image_removal.hpp"

#include <fmt/format.h>

#include "base/crypto.hpp"
#include "db/images_repo.hpp"
#include "db/locks.hpp"
#include "domain/error.hpp"
#include "domain/naming.hpp"

namespace imghost::image_removal {
namespace {

db::ImagesRepo::DeleteTarget authorize(db::ImagesRepo& repo, const std::string& id, const Authority& who) {
  if (!naming::is_image_id(id)) throw errors::not_found(i18n::msg("no such image"));
  auto target = repo.delete_target(id);
  if (!target) throw errors::not_found(i18n::msg("no such image"));
  if (!who.token.empty()) {
    // A delete token given is judged on its own: a wrong one is refused even for the
    // owner, so a client learns its token is wrong.
    const auto given = crypto::sha256(who.token);
    const std::string_view given_view(reinterpret_cast<const char*>(given.data()), given.size());
    if (!crypto::constant_time_equal(given_view, target->delete_token_hash))
      throw errors::forbidden(i18n::msg("wrong delete token"));
    return *target;
  }
  if (who.account) {
    if (who.account->is_admin || target->owner_id == who.account->id) return *target;
    throw errors::forbidden(i18n::msg("only the owner of this image or an admin can change it"));
  }
  throw errors::forbidden(i18n::msg("wrong or missing delete token"));
}

}  // namespace

ImageRecord check_authority(App& app, const std::string& id, const Authority& who) {
  db::ImagesRepo repo(app.db());
  authorize(repo, id, who);
  auto rec = repo.find(id);
  if (!rec) throw errors::not_found(i18n::msg("no such image"));
  return *rec;
}

Deleted delete_image(App& app, const std::string& id, const Authority& who) {
  auto& conn = app.db();
  db::ImagesRepo repo(conn);
  const auto target = authorize(repo, id, who);
  auto rec = repo.find(id);
  if (!rec) throw errors::not_found(i18n::msg("no such image"));

  // A store failure leaves the file queued for the cleanup (logged); the delete succeeded.
  const auto removed = remove_image(conn, app.store(), app.log(), id, target.sha256);
  if (!removed) throw errors::not_found(i18n::msg("no such image"));  // a concurrent delete won
  if (who.token.empty() && who.account)
    app.log().success(i18n::msg("image {} deleted by {}.", rec->name, who.account->username));
  else
    app.log().success(i18n::msg("image {} deleted.", rec->name));
  return {*rec};
}

std::optional<Removed> remove_image(db::Connection& conn, const store::Store& store, AppLog& log, const std::string& id,
                                    const crypto::Sha256& sha256) {
  db::ImagesRepo repo(conn);
  db::SessionLock lock(conn, sha256);
  Removed removed;
  {
    db::Transaction tx(conn);
    const auto name = repo.delete_image(id);
    if (!name) return std::nullopt;
    repo.release_content(sha256, *name);
    if (!repo.image_named(*name)) {
      removed.file = name;
      repo.queue_removal(*name);
    }
    tx.commit();
  }
  // Still under the content lock: an upload of these bytes links from the file the blob
  // names now, never from this one.
  if (removed.file) removed.file_left_queued = !unlink_queued(repo, store, log, *removed.file);
  return removed;
}

bool remove_image_logged(db::Connection& conn, const store::Store& store, AppLog& log, const std::string& id,
                         const crypto::Sha256& sha256, const std::string& name, RemovalCause cause,
                         RemovalReport& report) {
  const auto removed = remove_image(conn, store, log, id, sha256);
  if (!removed) return false;
  ++report.images;
  log.success(cause == RemovalCause::deleted ? i18n::msg("image {} deleted.", name)
                                             : i18n::msg("image {} expired.", name));
  if (removed->file) count_file(!removed->file_left_queued, report);
  return true;
}

bool unlink_queued(db::ImagesRepo& repo, const store::Store& store, AppLog& log, const std::string& name) {
  try {
    store::remove_both(store, name);
  } catch (const std::exception& e) {
    log.error(fmt::format("file {} stays queued for removal: {}", name, e.what()));
    return false;
  }
  repo.dequeue_removal(name);
  return true;
}

void count_file(bool unlinked, RemovalReport& report) { ++(unlinked ? report.files : report.failed); }

}  // namespace imghost::image_removal
