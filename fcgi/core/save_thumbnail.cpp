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

// The answer for a name whose original is not in the store: 451 for a taken-down
// image's, 404 otherwise.
[[noreturn]] void no_original(App& app, const std::string& name) {
  if (moderation::tombstone_of_name(app, name))
    throw errors::taken_down(i18n::msg("this image has been taken down by the operator"));
  throw errors::not_found(i18n::msg("no such image"));
}

// The thumbnail `make` makes, a refusal said as the request's error: 503 when the server
// ran short, 404 when the file cannot give one.
template <class Make>
std::string thumbnail_or_error(const std::string& name, Make make) {
  try {
    return make();
  } catch (const image::Rejection& e) {
    if (e.reason == image::Rejection::Reason::out_of_resources)
      throw errors::unavailable(i18n::msg("{} {}", name, e.what()));
    throw errors::not_found(i18n::msg("no thumbnail: {}", e.what()));
  }
}

}  // namespace

std::string make_missing_thumbnail(App& app, const std::string& name) {
  if (!naming::is_file_name(name)) throw errors::not_found(i18n::msg("no such image"));
  const auto& cfg = app.config();
  const auto format = image::parse_format(std::string_view(name).substr(name.rfind('.') + 1));
  std::string thumb;
  if (format && image::is_video(*format)) {
    // A video's poster, made again from its file by FFmpeg (image/video.hpp), then its
    // thumbnail as at upload.  The file reaches FFmpeg by path, never the worker's memory.
    const auto copy = app.store().local_copy(store::Object::original, name);
    if (!copy) no_original(app, name);
    image::Limits poster_limits = cfg.image;
    poster_limits.accepted = {image::Format::jpeg};
    thumb = thumbnail_or_error(name, [&] {
      return image::thumbnail_from_bytes(image::make_poster(copy->path(), *format, cfg.video), poster_limits);
    });
  } else {
    const auto original = app.store().read(store::Object::original, name);
    if (!original) no_original(app, name);
    thumb = thumbnail_or_error(name, [&] { return image::thumbnail_from_bytes(*original, cfg.image); });
  }
  if (!save_thumbnail(app, name, thumb)) throw errors::not_found(i18n::msg("no such image"));
  return thumb;
}

}  // namespace imghost
