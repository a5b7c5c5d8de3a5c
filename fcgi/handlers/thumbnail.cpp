// GET /images/thumbs/<name> when nginx found no thumbnail on disk: the upload answered
// before its background thumbnail was written, or a crash lost it.  Make it now from the
// original, store it for next time (nginx then serves it), and answer with it.
#include <fmt/format.h>

#include <fstream>
#include <sstream>

#include "handlers/handlers.hpp"
#include "http/http_error.hpp"
#include "image/inspect.hpp"
#include "store/naming.hpp"
#include "thumbnails.hpp"

namespace imghost::handlers {

Response thumbnail(App& app, Request&, const std::string& name) {
  if (!naming::is_file_name(name)) throw http::not_found("no such image");
  std::ifstream in(app.store().image_path(name), std::ios::binary);
  if (!in) throw http::not_found("no such image");
  std::stringstream ss;
  ss << in.rdbuf();
  const std::string original = ss.str();
  std::string thumb;
  try {
    thumb = image::thumbnail_from_bytes(original, app.config().image);
  } catch (const image::Rejection& e) {
    if (e.reason == image::Rejection::Reason::out_of_resources)
      throw http::unavailable(fmt::format("{} {}", name, e.what()));
    throw http::not_found(fmt::format("no thumbnail: {}", e.what()));
  }
  if (!store_thumbnail(app, name, thumb)) throw http::not_found("no such image");
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
