// inspect(): sniff, then the size from the header checked against the limits, then
// exactly one decode with the coder forced.  The decode validates the whole stream and
// its first frame feeds the thumbnail; for JPEG it runs at a reduced DCT scale (just
// above the thumbnail's size), which still entropy-decodes every block.  For a GIF,
// ImageMagick decodes the first frame only and giflib checks the others, each frame
// decoded once either way (check_gif_frames).  A PNG is decoded
// from its critical and rendering chunks only (png_for_decoder), once its one compressed
// chunk among those, iCCP, has been inflated under a cap (find_png_bomb) and its image
// data, where it could inflate to much more, found to hold no more than its pixels
// (check_png_image_data).  Then the first
// frame is reduced to the thumbnail's size and the full-size decode released.
#include "image/inspect.hpp"

#include <algorithm>
#include <optional>
#include <string>

#include "domain/thumbnail_geometry.hpp"
#include "image/decoded.hpp"
#include "image/gif_frames.hpp"
#include "image/header.hpp"
#include "image/magick_read.hpp"
#include "image/png_chunks.hpp"
#include "image/sniff.hpp"

namespace imghost::image {

namespace {

Rejection invalid(i18n::Message message) { return {Rejection::Reason::invalid_image, std::move(message)}; }

i18n::Message pixels_text(std::uint64_t n) {
  const auto count = static_cast<long>(std::min<std::uint64_t>(n, 1'000'000'000));
  if (n >= 1'000'000 && n % 1'000'000 == 0)
    return i18n::msgn("{} megapixel", "{} megapixels", count / 1'000'000, n / 1'000'000);
  return i18n::msgn("{} pixel", "{} pixels", count, n);
}

std::string dims(std::uint64_t w, std::uint64_t h) { return std::to_string(w) + "x" + std::to_string(h); }

// The width and height limits in force: the configured ones, or ImageMagick's if its
// policy is stricter, so that an image over those is refused here with a clear message
// rather than by the decoder.
std::pair<std::uint64_t, std::uint64_t> max_dims(const Limits& limits) {
  const auto w = MagickCore::GetMagickResourceLimit(MagickCore::WidthResource);
  const auto h = MagickCore::GetMagickResourceLimit(MagickCore::HeightResource);
  return {std::min<std::uint64_t>(limits.max_width, w), std::min<std::uint64_t>(limits.max_height, h)};
}

// Refuses, before any pixel is decoded, what the header says is too big.  An
// animation's budget is the pixels of all its frames together: ImageMagick 6 keeps
// every decoded frame in memory at once.
void check_limits(const detail::Header& h, const Limits& limits) {
  const auto [max_w, max_h] = max_dims(limits);
  if (h.frames > limits.max_frames) throw invalid(i18n::msg("has more frames than the limit of {}", limits.max_frames));
  const std::uint64_t w = std::max(h.width, h.max_frame_width);
  const std::uint64_t r = std::max(h.height, h.max_frame_height);
  if (w > max_w || r > max_h)
    throw invalid(i18n::msg("is {} pixels, over the limit of {}", dims(w, r), dims(max_w, max_h)));
  if (std::uint64_t{h.width} * h.height > limits.max_pixels)
    throw invalid(
        i18n::msg("is {} pixels, over the limit of {}", dims(h.width, h.height), pixels_text(limits.max_pixels)));
  if (h.frame_pixels > limits.max_pixels)
    throw invalid(i18n::msg("has {} frames of up to {} pixels, over the limit of {} for all frames together", h.frames,
                            dims(h.max_frame_width, h.max_frame_height), pixels_text(limits.max_pixels)));
}

detail::Header header(std::string_view bytes, Format format, const Limits& limits, detail::Deadline& deadline) {
  if (format == Format::png) {
    auto h = detail::png_header(bytes);
    if (!h) throw invalid(i18n::msg("is not a valid PNG image (no IHDR chunk)"));
    return *h;
  }
  if (format == Format::webp) {
    auto h = detail::webp_header(bytes);
    if (!h) throw invalid(i18n::msg("is not a valid WebP image (malformed RIFF container)"));
    return *h;
  }
  if (format == Format::gif) {
    auto h = detail::gif_header(bytes);
    if (!h) throw invalid(i18n::msg("is not a valid GIF image (no frame)"));
    return *h;
  }
  // JPEG: ImageMagick's ping reads the headers without decoding pixels.
  detail::ReadOptions ping{.ping = true, .max_frames = std::size_t{limits.max_frames} + 1, .jpeg_size = {}};
  const auto pinged = detail::read_forced(bytes, format, ping, deadline);
  return detail::header_of(pinged.get(), format);
}

}  // namespace

std::optional<Rejection> not_accepted(std::optional<Format> sniffed, const Limits& limits) {
  if (sniffed && limits.accepted.contains(*sniffed)) return std::nullopt;
  return Rejection(Rejection::Reason::unsupported_format,
                   limits.accepted.empty() ? i18n::msg("is not an accepted image")
                                           : i18n::msg("is not a {} image", describe(limits.accepted)));
}

Inspected inspect(std::string_view bytes, const Limits& limits) {
  const auto format = sniff(bytes);
  if (auto refused = not_accepted(format, limits)) throw *refused;
  detail::ensure_magick_initialized();
  detail::Deadline deadline(limits.decode_timeout);  // for the ping and the decode together

  const detail::Header h = header(bytes, *format, limits, deadline);
  check_limits(h, limits);

  // libpng inflates text chunks and ICC profiles before any pixel, outside every
  // ImageMagick limit and deadline: never let it see text chunks, and refuse a profile
  // that is a bomb (refusing, rather than dropping it, keeps the stored file the upload).
  // It also inflates all the image data, past the last row and after a stopped decode
  // alike, where the deadline cannot reach: check first, under the deadline, that the
  // image data holds no more than the pixels (bounded by the limits just checked).  That
  // check inflates the image data a second time (15% of a small PNG's decode), so it
  // runs only where libpng's own inflating could run long: where the image data can
  // inflate to more than the pixels and to more than find_png_bomb may inflate from one
  // file anyway (64 MiB, about 0.1 s; image data of 64 KB or more).  Below that, image
  // data past the pixels is refused by libpng ("too much image data").
  std::string png_pixels;
  std::string_view to_decode = bytes;
  if (*format == Format::png) {
    png_pixels = png_for_decoder(bytes);
    if (auto bomb = find_png_bomb(png_pixels)) throw invalid(*bomb);
    const auto size = png_image_data_size(png_pixels);
    const std::uint64_t bound = png_image_data_bound(png_pixels);
    if (size && bound > *size && bound > InflateCaps{}.per_file) {
      switch (check_png_image_data(png_pixels, *size, [&] { return !deadline.passed(); })) {
        case ImageDataCheck::fits: break;
        case ImageDataCheck::too_much:
          throw invalid(i18n::msg("has image data that inflates to more than its {} pixels (a decompression bomb)",
                                  dims(h.width, h.height)));
        case ImageDataCheck::stopped: throw detail::too_slow(deadline);
      }
    }
    to_decode = png_pixels;
  }

  detail::ReadOptions decode;
  if (*format == Format::jpeg) {
    // libjpeg then decodes at the smallest scale M/8 that still covers the thumbnail
    // (1920x1080 -> 480x270 for 320x180).  DCT scaling is itself a proper low-pass
    // downscale, so asking for 1x rather than 2x costs no visible quality and saves
    // about a third of the time (measured, 1920x1080 and 4000x3000).
    const auto [tw, th] = fit_within(h.width, h.height, limits.thumb_size);
    decode.jpeg_size = dims(tw, th);
  }
  std::optional<std::size_t> gif_frames;
  if (*format == Format::gif) {
    // Every frame but the first is decoded by giflib, only to be checked (gif_frames.hpp
    // says why); ImageMagick decodes the first, for the thumbnail.
    const auto check = check_gif_frames(bytes, limits.max_frames + 1, [&] { return !deadline.passed(); });
    switch (check.outcome) {
      case GifFramesCheck::Outcome::fine: break;
      case GifFramesCheck::Outcome::corrupt: throw invalid(i18n::msg("is not a valid GIF image ({})", check.problem));
      case GifFramesCheck::Outcome::stopped: throw detail::too_slow(deadline);
    }
    if (check.frames == 0) throw invalid(i18n::msg("is not a valid GIF image (no frame)"));
    gif_frames = check.frames;
    decode.max_frames = 1;
  }
  detail::ImageList list = detail::read_forced(to_decode, *format, decode, deadline);
  const std::size_t frames = gif_frames.value_or(MagickCore::GetImageListLength(list.get()));
  if (frames > limits.max_frames) throw invalid(i18n::msg("has more frames than the limit of {}", limits.max_frames));

  // Keep the first frame; the others were decoded only to validate them.
  MagickCore::Image* rest = list.release();
  detail::ImageList first(MagickCore::RemoveFirstImageFromList(&rest));
  list.reset(rest);

  // A decoder can report success for a frame whose pixels it never produced (a crafted
  // animated WebP does): ImageMagick then scales it to an empty image and its WebP
  // encoder aborts the process.  One row tells, cheaply, even for a disk-cached frame.
  {
    MagickCore::ExceptionInfo* e = MagickCore::AcquireExceptionInfo();
    const bool readable = first.get()->columns > 0 && first.get()->rows > 0 &&
                          MagickCore::GetVirtualPixels(first.get(), 0, 0, first.get()->columns, 1, e) != nullptr;
    MagickCore::DestroyExceptionInfo(e);
    if (!readable) throw invalid(i18n::msg("is corrupt (no pixel data)"));
  }

  Inspected out;
  out.format = *format;
  out.width = h.width;  // from the header: the decoded JPEG frame is smaller
  out.height = h.height;
  out.frames = static_cast<std::uint32_t>(frames);
  // Only a thumbnail-sized frame outlives this call, so the next file of a request is
  // decoded with this one's full-size pixels (up to 400 MB of pixel cache for 50
  // megapixels) already released.
  list.reset();  // the other frames were decoded only to validate them
  Magick::Image frame(first.get());
  first.release();  // now owned by `frame`
  try {
    out.decoded =
        std::make_shared<Inspected::Decoded>(detail::reduce_for_thumbnail(frame, h.width, h.height, limits.thumb_size));
  } catch (const Magick::ErrorResourceLimit&) {
    throw detail::out_of_resources();
  } catch (const Magick::WarningResourceLimit&) {
    throw detail::out_of_resources();
  } catch (const Magick::ErrorCache&) { throw detail::out_of_resources(); } catch (const Magick::WarningCache&) {
    throw detail::out_of_resources();
  } catch (const Magick::Exception& e) {
    throw invalid(i18n::msg("could not be reduced to a thumbnail ({})", e.what()));
  } catch (const std::runtime_error& e) {
    throw invalid(i18n::msg("could not be reduced to a thumbnail ({})", e.what()));
  }
  return out;
}

}  // namespace imghost::image
