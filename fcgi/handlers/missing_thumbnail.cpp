// GET /images/thumbs/<name> when nginx found no thumbnail on disk: the upload answered
// before its background thumbnail was written, or a crash lost it.  Make it now from the
// original, store it for next time (nginx then serves it), and answer with it.
#include "core/save_thumbnail.hpp"
#include "domain/image_format.hpp"
#include "handlers/handlers.hpp"

namespace imghost::handlers {

Response missing_thumbnail(App& app, Request&, const Params& params) {
  const auto& name = params["name"];
  auto thumb = make_missing_thumbnail(app, name);
  const auto ext = name.substr(name.rfind('.') + 1);
  const auto fmt_ = image::parse_format(ext);
  Response r;
  r.status = 200;
  // A video's thumbnail is its poster, a JPEG under the video's own name.
  const auto type = !fmt_                    ? std::string_view("application/octet-stream")
                    : image::is_video(*fmt_) ? image::content_type(image::Format::jpeg)
                                             : image::content_type(*fmt_);
  r.header("Content-Type", std::string(type));
  r.header("Cache-Control", "public, max-age=60");
  r.body = std::move(thumb);
  return r;
}

}  // namespace imghost::handlers
