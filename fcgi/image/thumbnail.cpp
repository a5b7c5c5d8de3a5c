// Thumbnails in two steps.  inspect() calls reduce_for_thumbnail() right after its
// decode, so that only a thumbnail-sized frame outlives it; make_thumbnail() later (after
// the response) encodes that frame in the original's format.  No second decode: a JPEG's
// frame is already between 1x and 2x the thumbnail's size (DCT scaling) when it is
// scaled.
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "image/decoded.hpp"
#include "image/fit.hpp"
#include "image/inspect.hpp"

namespace imghost::image {

namespace {

// An animation's first frame may cover only part of its canvas (GIF, WebP): put it on
// the canvas, as a browser shows it.
Magick::Image on_canvas(const Magick::Image& frame) {
  const MagickCore::Image* f = frame.constImage();
  const bool partial = f->page.width > 0 && f->page.height > 0 &&
                       (f->page.width != f->columns || f->page.height != f->rows || f->page.x != 0 || f->page.y != 0);
  if (!partial) return frame;
  MagickCore::ExceptionInfo* e = MagickCore::AcquireExceptionInfo();
  MagickCore::Image* canvas = MagickCore::CoalesceImages(f, e);  // `frame` is a one-image list
  if (!canvas) {
    // As a Magick::Exception of the same severity: a ResourceLimit one tells the caller
    // that the server ran short, not that the image is bad.
    try {
      Magick::throwException(e, false);
    } catch (...) {
      MagickCore::DestroyExceptionInfo(e);
      throw;
    }
    MagickCore::DestroyExceptionInfo(e);
    throw std::runtime_error("thumbnail: coalescing failed");
  }
  MagickCore::DestroyExceptionInfo(e);
  return Magick::Image(canvas);
}

// A GIF's thumbnail is drawn in the original's own colours.  The GIF encoder would
// otherwise quantize the averaged pixels from scratch, 2-4x slower than mapping them
// back onto the original palette (no dithering: thumbnails are small).  A frame with
// no palette (nullopt) is left to the encoder.
std::optional<Magick::Image> palette_of(const Magick::Image& frame, Format format) {
  const MagickCore::Image* f = frame.constImage();
  if (format != Format::gif || f->storage_class != MagickCore::PseudoClass || f->colors == 0 || f->colors > 256)
    return std::nullopt;
  using MagickCore::Quantum;  // QuantumRange and ShortPixel below assume Q16
  static_assert(sizeof(Quantum) == sizeof(unsigned short), "Q16 ImageMagick expected");
  const bool alpha = f->matte != MagickCore::MagickFalse;
  std::vector<Quantum> pixels;
  pixels.reserve(f->colors * 4);
  for (std::size_t i = 0; i < f->colors; ++i) {
    const MagickCore::PixelPacket& c = f->colormap[i];
    pixels.insert(pixels.end(), {c.red, c.green, c.blue});
    if (alpha) pixels.push_back(static_cast<Quantum>(QuantumRange - c.opacity));
  }
  return Magick::Image(f->colors, 1, alpha ? "RGBA" : "RGB", Magick::ShortPixel, pixels.data());
}

void encode_settings(Magick::Image& img, Format format) {
  img.interlaceType(Magick::NoInterlace);  // else a progressive original's would be too
  switch (format) {
    case Format::jpeg:
      // CMYK JPEGs (print workflows) would keep their inks; browsers want RGB.
      if (img.colorSpace() == Magick::CMYKColorspace) img.colorSpace(Magick::sRGBColorspace);
      img.quality(82);
      break;
    case Format::png:
      img.depth(8);  // a 16-bit original gets an 8-bit thumbnail
      // zlib level 3, Paeth filter.  Measured on the 320x240 thumbnail of a 20 KB palette
      // PNG: 4.5 ms and 60 KB, against 11.4 ms and 82 KB with ImageMagick's default
      // (level 7, adaptive filter); mapping back onto the palette cost as much as it saved.
      img.quality(34);
      break;
    case Format::gif: break;  // the GIF encoder quantizes to 256 colours itself
    case Format::webp: img.quality(82); break;
  }
  img.magick(std::string(magick_coder(format)));
}

}  // namespace

namespace detail {

Inspected::Decoded reduce_for_thumbnail(const Magick::Image& first, Format format, std::uint32_t width,
                                        std::uint32_t height, std::uint32_t thumb_size) {
  Magick::Image img = on_canvas(first);
  img.quiet(true);  // warnings while scaling are not worth failing for
  std::optional<Magick::Image> palette = palette_of(img, format);
  const auto [tw, th] = fit_within(width, height, thumb_size);
  if (img.columns() != tw || img.rows() != th) {
    // Area averaging (ImageMagick's "scale"): each thumbnail pixel is the mean of the
    // source pixels it covers.  No aliasing, and 1.5-3x faster than a windowed filter
    // (Triangle, Lanczos) over a full-size PNG.  Exactly tw x th: the DCT-scaled JPEG
    // frame's rounding may differ from the original's ratio by a pixel.
    Magick::Geometry target(tw, th);
    target.aspect(true);
    img.scale(target);
  }
  // ImageMagick reports some failures (a quiet warning) as an empty result; an empty
  // image must never reach an encoder, whose assertions would abort the worker.
  if (img.columns() == 0 || img.rows() == 0) throw std::runtime_error("thumbnail: scaling produced no pixels");
  return {img, std::move(palette)};
}

}  // namespace detail

std::string make_thumbnail(const Inspected& inspected, std::uint32_t size) {
  if (!inspected.decoded) throw std::runtime_error("thumbnail: the image was not decoded");
  try {
    Magick::Image img = inspected.decoded->frame;  // copy on write: `decoded` stays as it is
    img.quiet(true);                               // warnings while encoding a thumbnail are not worth failing for
    // inspect() reduced the frame to Limits::thumb_size; another size scales it again.
    const auto [tw, th] = detail::fit_within(inspected.width, inspected.height, size);
    if (img.columns() != tw || img.rows() != th) {
      Magick::Geometry target(tw, th);
      target.aspect(true);
      img.scale(target);
    }
    if (img.columns() == 0 || img.rows() == 0) throw std::runtime_error("thumbnail: scaling produced no pixels");
    if (inspected.decoded->palette) img.map(*inspected.decoded->palette, false);
    img.autoOrient();                        // EXIF orientation, which strip() drops
    img.strip();                             // profiles, comments, EXIF/XMP
    img.page(Magick::Geometry(0, 0, 0, 0));  // no canvas offset from an animation
    encode_settings(img, inspected.format);
    Magick::Blob blob;
    img.write(&blob);
    return std::string(static_cast<const char*>(blob.data()), blob.length());
  } catch (const Magick::Exception& e) { throw std::runtime_error(std::string("thumbnail: ") + e.what()); }
}

std::string thumbnail_from_bytes(std::string_view bytes, const Limits& limits) {
  return make_thumbnail(inspect(bytes, limits), limits.thumb_size);
}

}  // namespace imghost::image
