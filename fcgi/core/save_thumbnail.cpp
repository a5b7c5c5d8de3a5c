#include "core/save_thumbnail.hpp"

#include <unistd.h>

#include "db/images_repo.hpp"

namespace imghost {

bool store_thumbnail(App& app, const std::string& name, std::string_view bytes) {
  app.store().write_thumbnail(name, bytes);
  db::ImagesRepo repo(app.db());
  if (repo.blob_exists(name)) return true;
  ::unlink(app.store().thumb_path(name).c_str());
  return false;
}

}  // namespace imghost
