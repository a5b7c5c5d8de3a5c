#include "core/upload_validation.hpp"

#include <fmt/format.h>

#include <fcntl.h>
#include <unistd.h>

#include <system_error>

#include "base/crypto.hpp"
#include "base/posix_file.hpp"
#include "core/moderation.hpp"
#include "domain/error.hpp"
#include "domain/human_size.hpp"
#include "image/inspect.hpp"
#include "image/perceptual_hash.hpp"
#include "image/png_chunks.hpp"
#include "image/sniff.hpp"
#include "image/strip_metadata.hpp"
#include "image/thumbnail.hpp"
#include "image/video.hpp"
#include "metrics/metrics.hpp"

namespace imghost {
namespace {

// The first bytes of a staged file: enough for sniff() (never the whole file: a video
// may be hundreds of megabytes, and only its confined child reads it).
std::string head_of(const store::Staged& staged) {
  const int fd = ::open(staged.path().c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) throw std::system_error(errno, std::generic_category(), "open staged file");
  char buf[64];
  const ssize_t n = ::read(fd, buf, sizeof buf);
  const int e = errno;
  ::close(fd);
  if (n < 0) throw std::system_error(e, std::generic_category(), "read staged file");
  return std::string(buf, static_cast<std::size_t>(n));
}

// A video: probed, remuxed and given a poster in confined children (image/video.hpp).
// What is stored is the remux, never the upload itself.
Candidate video_candidate(App& app, IncomingFile& file, image::Format container, const std::string& filename,
                          const std::string& shown) {
  const auto& cfg = app.config();
  const auto size = std::filesystem::file_size(file.staged().path());
  if (size > cfg.video.max_bytes)
    throw errors::too_large(
        i18n::msg("{} is over the limit of {} per video", shown, units::human_size(cfg.video.max_bytes)));
  Candidate c;
  c.original_filename = filename;
  c.staged = app.store().stage("", false);  // the remux's file, removed with it on any failure
  const auto prepared = [&] {
    metrics::Timer t(metrics::Histogram::decode);
    return image::prepare_video(file.staged().path(), container, c.staged.path(), cfg.video);
  }();
  const auto& f = prepared.facts;
  const posix_file::Fd remuxed(::open(c.staged.path().c_str(), O_RDONLY | O_CLOEXEC));
  if (remuxed.get() < 0) throw std::system_error(errno, std::generic_category(), "open remuxed video");
  const auto [sha, stored_size] = crypto::sha256_of_file(remuxed.get());
  if (stored_size == 0)
    throw image::Rejection(image::Rejection::Reason::invalid_image, i18n::msg("could not be remuxed"));
  c.sha256 = sha;
  c.size = stored_size;
  c.format = f.stored;
  c.width = f.width;
  c.height = f.height;
  c.duration = f.duration;
  c.video_codec = f.video_codec;
  c.audio_codec = f.audio_codec;
  try {
    // The poster is a JPEG our own child made; its thumbnail is made as any image's,
    // under the image limits.
    image::Limits poster_limits = cfg.image;
    poster_limits.accepted = {image::Format::jpeg};
    const auto inspected = image::inspect(prepared.poster, poster_limits);
    c.thumbnail = image::thumbnail_of(inspected, prepared.poster, cfg.image.thumb_size);
  } catch (const std::exception& e) {
    app.log().error(i18n::msg("poster of {} not made at upload: {}", shown, e.what()));
  }
  return c;
}

}  // namespace

Candidate candidate_of(App& app, IncomingFile& file, const std::string& filename, const std::string& shown) {
  const auto& cfg = app.config();
  try {
    const auto sniffed = image::sniff(head_of(file.staged()));
    if (sniffed && image::is_video(*sniffed)) {
      if (!cfg.video.accepted.contains(*sniffed))
        throw image::Rejection(image::Rejection::Reason::unsupported_format,
                               cfg.video.accepted.empty()
                                   ? i18n::msg("is a video: videos are not accepted")
                                   : i18n::msg("is not an {} video", image::describe(cfg.video.accepted)));
      return video_candidate(app, file, *sniffed, filename, shown);
    }
    // Streamed up to the larger of the two limits: an image must fit its own.
    if (std::filesystem::file_size(file.staged().path()) > cfg.max_file_bytes)
      throw errors::too_large(
          i18n::msg("{} is over the limit of {} per file", shown, units::human_size(cfg.max_file_bytes)));
    // Known from the first bytes: a file that is no accepted image is refused before it
    // is read whole (with a large max_file_size, it may be hundreds of megabytes).
    if (auto refused = image::not_accepted(sniffed, cfg.image)) throw *refused;
    const std::string bytes = file.staged().read();
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
    } catch (const std::exception& e) { app.log().error(i18n::msg("no perceptual hash of {}: {}", shown, e.what())); }
    moderation::check_not_blocked(app, {file.sha256(), c.sha256}, phash, shown);
    try {
      c.thumbnail = image::thumbnail_of(inspected, stored, cfg.image.thumb_size);
      c.thumbnail_is_original = image::is_own_thumbnail(inspected, stored.size(), cfg.image.thumb_size);
    } catch (const std::exception& e) {
      // The upload is valid; its thumbnail is made on demand when first asked for.
      app.log().error(i18n::msg("thumbnail of {} not made at upload: {}", shown, e.what()));
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
