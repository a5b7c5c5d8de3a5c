#include "core/image_edit.hpp"

#include <fmt/format.h>

#include "db/images_repo.hpp"
#include "domain/error.hpp"

namespace imghost {

ImageRecord edit_image(App& app, const std::string& id, const ImageEdit& edit, const UserRecord& by) {
  db::ImagesRepo repo(app.db());
  if (!repo.update(id, {edit.description, edit.visibility})) throw errors::not_found(i18n::msg("no such image"));
  auto rec = repo.find(id);
  if (!rec) throw errors::not_found(i18n::msg("no such image"));
  app.log().success(i18n::msg("image {} edited by {}.", rec->name, by.username));
  return *rec;
}

}  // namespace imghost
