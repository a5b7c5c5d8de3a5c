#include "core/upload_validation.hpp"

#include <fmt/format.h>

#include "base/crypto.hpp"
#include "core/moderation.hpp"
#include "domain/error.hpp"
#include "image/inspect.hpp"
#include "image/perceptual_hash.hpp"
#include "image/png_chunks.hpp"
#include "image/strip_metadata.hpp"
#include "image/thumbnail.hpp"
#include "metrics/metrics.hpp"

namespace imghost {

Candidate candidate_of(App& app, IncomingFile& file, const std::string& filename, const std::string& shown) {
  const auto& cfg = app.config();
  const std::string bytes = file.staged().read();
  try {
    auto inspected = [&] {
      metrics::Timer t(metrics::Histogram::decode);
      return image::inspect(bytes, cfg.image);
    }();
    // Pixels are never touched: only metadata segments are dropped, byte for byte.
    std::string stripped = cfg.strip_metadata ? image::strip_metadata(bytes, inspected.format) : std::string();
    const bool changed = cfg.strip_metadata && stripped != bytes;
    const std::string_view stored = changed ? std::string_view(stripped) : std::string_view(bytes);
    // Browsers inflate what is stored: never a decompression bomb, whatever
    // strip_metadata kept (its iCCP; with strip_metadata = false, text chunks too).
    if (inspected.format == image::Format::png)
      if (auto bomb = image::find_png_bomb(stored))
        throw image::Rejection(image::Rejection::Reason::invalid_image, *bomb);
    Candidate c;
    c.original_filename = filename;
    c.format = inspected.format;
    c.width = inspected.width;
    c.height = inspected.height;
    c.size = stored.size();
    if (changed) {
      // The stored bytes are not the upload's: they get their own staged file and hash.
      c.staged = app.store().stage(stored, false);
      c.sha256 = crypto::sha256(stored);
    } else {
      c.sha256 = file.sha256();
      c.staged = file.take_staged();
    }
    // Banned content is refused before anything is stored (the staged files go with `c`).
    std::optional<std::uint64_t> phash;
    try {
      phash = image::perceptual_hash(inspected);
    } catch (const std::exception& e) { app.log().error(fmt::format("no perceptual hash of {}: {}", shown, e.what())); }
    moderation::check_not_blocked(app, {file.sha256(), c.sha256}, phash, shown);
    try {
      c.thumbnail = image::thumbnail_of(inspected, stored, cfg.image.thumb_size);
      c.thumbnail_is_original = image::is_own_thumbnail(inspected, stored.size(), cfg.image.thumb_size);
    } catch (const std::exception& e) {
      // The upload is valid; its thumbnail is made on demand when first asked for.
      app.log().error(fmt::format("thumbnail of {} not made at upload: {}", shown, e.what()));
    }
    return c;
  } catch (const image::Rejection& r) {
    // TRANSLATORS: a file's name, then why it was refused ("is not a valid PNG image").
    const auto msg = i18n::msg("{} {}", shown, r.message);
    switch (r.reason) {
      case image::Rejection::Reason::unsupported_format: throw errors::unsupported_format(msg);
      case image::Rejection::Reason::invalid_image: throw errors::invalid_image(msg);
      // 503, not 413: the file is within every limit (its header was checked before the
      // decode), the server ran short of memory, map or disk for it (e.g. a full
      // temporary folder): the same request may well succeed later.
      case image::Rejection::Reason::out_of_resources: throw errors::unavailable(msg);
    }
    throw;
  }
}

}  // namespace imghost
