// GET /images/thumbs/<name> when nginx found no thumbnail on disk: the upload answered
// before its background thumbnail was written, or a crash lost it.  Make it now from the
// original, store it for next time (nginx then serves it), and answer with it.
#include <fmt/format.h>

#include "core/save_thumbnail.hpp"
#include "domain/error.hpp"
#include "domain/naming.hpp"
#include "handlers/handlers.hpp"
#include "image/inspect.hpp"
#include "image/thumbnail.hpp"

namespace imghost::handlers {

Response missing_thumbnail(App& app, Request&, const Params& params) {
  const auto& name = params["name"];
  if (!naming::is_file_name(name)) throw errors::not_found("no such image");
  const auto original = app.store().read(store::Object::original, name);
  if (!original) throw errors::not_found("no such image");
  std::string thumb;
  try {
    thumb = image::thumbnail_from_bytes(*original, app.config().image);
  } catch (const image::Rejection& e) {
    if (e.reason == image::Rejection::Reason::out_of_resources)
      throw errors::unavailable(fmt::format("{} {}", name, e.what()));
    throw errors::not_found(fmt::format("no thumbnail: {}", e.what()));
  }
  if (!save_thumbnail(app, name, thumb)) throw errors::not_found("no such image");
  const auto ext = name.substr(name.rfind('.') + 1);
  const auto fmt_ = image::parse_format(ext);
  Response r;
  r.status = 200;
  r.header("Content-Type", std::string(fmt_ ? image::content_type(*fmt_) : "application/octet-stream"));
  r.header("Cache-Control", "public, max-age=60");
  r.body = std::move(thumb);
  return r;
}

}  // namespace imghost::handlers
