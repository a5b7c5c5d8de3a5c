#include "core/save_thumbnail.hpp"

#include <fmt/format.h>

#include "core/moderation.hpp"
#include "db/images_repo.hpp"
#include "domain/error.hpp"
#include "domain/image_format.hpp"
#include "domain/naming.hpp"
#include "image/inspect.hpp"
#include "image/thumbnail.hpp"
#include "image/video.hpp"

namespace imghost {

bool save_thumbnail(App& app, const std::string& name, std::string_view bytes) {
  app.store().put_thumbnail(name, bytes);
  db::ImagesRepo repo(app.db());
  if (repo.image_named(name)) return true;
  app.store().remove(store::Object::thumbnail, name);
  return false;
}

namespace {

// A video's poster, made again from its file by FFmpeg (image/video.hpp), then its
// thumbnail as at upload.  The file reaches FFmpeg by path, never the worker's memory.
std::string video_thumbnail(App& app, const std::string& name, image::Format container) {
  const auto copy = app.store().local_copy(store::Object::original, name);
  if (!copy) {
    if (moderation::tombstone_of_name(app, name))
      throw errors::taken_down(i18n::msg("this image has been taken down by the operator"));
    throw errors::not_found(i18n::msg("no such image"));
  }
  const auto& cfg = app.config();
  image::Limits poster_limits = cfg.image;
  poster_limits.accepted = {image::Format::jpeg};
  try {
    return image::thumbnail_from_bytes(image::make_poster(copy->path(), container, cfg.video), poster_limits);
  } catch (const image::Rejection& e) {
    if (e.reason == image::Rejection::Reason::out_of_resources)
      throw errors::unavailable(i18n::msg("{} {}", name, e.what()));
    throw errors::not_found(i18n::msg("no thumbnail: {}", e.what()));
  }
}

}  // namespace

std::string make_missing_thumbnail(App& app, const std::string& name) {
  if (!naming::is_file_name(name)) throw errors::not_found(i18n::msg("no such image"));
  const auto dot = name.rfind('.');
  if (const auto f = image::parse_format(std::string_view(name).substr(dot + 1)); f && image::is_video(*f)) {
    auto thumb = video_thumbnail(app, name, *f);
    if (!save_thumbnail(app, name, thumb)) throw errors::not_found(i18n::msg("no such image"));
    return thumb;
  }
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
