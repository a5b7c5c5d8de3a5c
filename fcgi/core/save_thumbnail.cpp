#include "core/save_thumbnail.hpp"

#include <fmt/format.h>

#include "core/moderation.hpp"
#include "db/images_repo.hpp"
#include "domain/error.hpp"
#include "domain/naming.hpp"
#include "image/inspect.hpp"
#include "image/thumbnail.hpp"

namespace imghost {

bool save_thumbnail(App& app, const std::string& name, std::string_view bytes) {
  app.store().put_thumbnail(name, bytes);
  db::ImagesRepo repo(app.db());
  if (repo.image_named(name)) return true;
  app.store().remove(store::Object::thumbnail, name);
  return false;
}

std::string make_missing_thumbnail(App& app, const std::string& name) {
  if (!naming::is_file_name(name)) throw errors::not_found(i18n::msg("no such image"));
  const auto original = app.store().read(store::Object::original, name);
  if (!original) {
    if (moderation::tombstone_of_name(app, name))
      throw errors::taken_down(i18n::msg("this image has been taken down by the operator"));
    throw errors::not_found(i18n::msg("no such image"));
  }
  std::string thumb;
  try {
    thumb = image::thumbnail_from_bytes(*original, app.config().image);
  } catch (const image::Rejection& e) {
    if (e.reason == image::Rejection::Reason::out_of_resources)
      throw errors::unavailable(i18n::msg("{} {}", name, e.what()));
    throw errors::not_found(i18n::msg("no thumbnail: {}", e.what()));
  }
  if (!save_thumbnail(app, name, thumb)) throw errors::not_found(i18n::msg("no such image"));
  return thumb;
}

}  // namespace imghost
