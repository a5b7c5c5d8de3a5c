#include "core/save_thumbnail.hpp"

#include "db/images_repo.hpp"

namespace imghost {

bool save_thumbnail(App& app, const std::string& name, std::string_view bytes) {
  app.store().put_thumbnail(name, bytes);
  db::ImagesRepo repo(app.db());
  if (repo.image_named(name)) return true;
  app.store().remove(store::Object::thumbnail, name);
  return false;
}

}  // namespace imghost
