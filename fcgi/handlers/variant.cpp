// GET /v/<preset>/<stem>.<fmt> when nginx found no variant on disk (or in its cache of
// the bucket): made now from the original, stored so that nginx serves it next time.
#include "core/variants.hpp"
#include "handlers/handlers.hpp"

namespace imghost::handlers {

Response missing_variant(App& app, Request&, const Params& params) {
  auto made = serve_missing_variant(app, params["preset"], params["file"]);
  Response r;
  r.status = 200;
  r.header("Content-Type", std::string(variant_content_type(made.format)));
  // As nginx serves it from now on (nginx/image_headers.conf): a variant never changes.
  r.header("Cache-Control", "public, max-age=31536000, immutable");
  r.body = std::move(made.bytes);
  return r;
}

}  // namespace imghost::handlers
