#include "core/deletion.hpp"

#include <fmt/format.h>

#include "base/crypto.hpp"
#include "core/removal.hpp"
#include "db/images_repo.hpp"
#include "domain/error.hpp"
#include "domain/naming.hpp"

namespace imghost {
namespace {

db::ImagesRepo::DeleteTarget authorize(db::ImagesRepo& repo, const std::string& id, const Authority& who) {
  if (!naming::is_image_id(id)) throw errors::not_found("no such image");
  auto target = repo.delete_target(id);
  if (!target) throw errors::not_found("no such image");
  if (!who.token.empty()) {
    // A delete token given is judged on its own: a wrong one is refused even for the
    // owner, so a client learns its token is wrong.
    const auto given = crypto::sha256(who.token);
    const std::string_view given_view(reinterpret_cast<const char*>(given.data()), given.size());
    if (!crypto::constant_time_equal(given_view, target->delete_token_hash))
      throw errors::forbidden("wrong delete token");
    return *target;
  }
  if (who.account) {
    if (who.account->is_admin || target->owner_id == who.account->id) return *target;
    throw errors::forbidden("only the owner of this image or an admin can change it");
  }
  throw errors::forbidden("wrong or missing delete token");
}

}  // namespace

ImageRecord check_authority(App& app, const std::string& id, const Authority& who) {
  db::ImagesRepo repo(app.db());
  authorize(repo, id, who);
  auto rec = repo.find(id);
  if (!rec) throw errors::not_found("no such image");
  return *rec;
}

Deleted delete_image(App& app, const std::string& id, const Authority& who) {
  auto& conn = app.db();
  db::ImagesRepo repo(conn);
  const auto target = authorize(repo, id, who);
  auto rec = repo.find(id);
  if (!rec) throw errors::not_found("no such image");

  // A store failure leaves the file queued for the cleanup (logged); the delete succeeded.
  const auto removed = removal::remove_image(conn, app.store(), app.log(), id, target.sha256);
  if (!removed) throw errors::not_found("no such image");  // a concurrent delete won
  if (who.token.empty() && who.account)
    app.log().success(fmt::format("image {} deleted by {}.", rec->name, who.account->username));
  else
    app.log().success(fmt::format("image {} deleted.", rec->name));
  return {*rec};
}

}  // namespace imghost
