// Thumbnails in two steps (a small image that already fits is its own thumbnail, see
// thumbnail_of).  inspect() calls reduce_for_thumbnail() right after its
// decode, so that only a thumbnail-sized frame outlives it; make_thumbnail() later (after
// the response) encodes that frame in the original's format.  No second decode: a JPEG's
// frame is already between 1x and 2x the thumbnail's size (DCT scaling) when it is
// scaled.
#include "image/thumbnail.hpp"

#include <algorithm>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

#include "domain/thumbnail_geometry.hpp"
#include "image/decoded.hpp"
#include "image/png_encode.hpp"

namespace imghost::image {

namespace {

// Throws the exception ImageMagick left in `e` (as a Magick::Exception of its severity),
// or `fallback` when it left none.
[[noreturn]] void throw_magick(MagickCore::ExceptionInfo* e, const char* fallback) {
  try {
    Magick::throwException(e, false);
  } catch (...) {
    MagickCore::DestroyExceptionInfo(e);
    throw;
  }
  MagickCore::DestroyExceptionInfo(e);
  throw std::runtime_error(fallback);
}

// An animation's first frame may cover only part of its canvas (GIF, WebP): put it on
// the canvas, as a browser shows it.
Magick::Image on_canvas(const Magick::Image& frame) {
  const MagickCore::Image* f = frame.constImage();
  const bool partial = f->page.width > 0 && f->page.height > 0 &&
                       (f->page.width != f->columns || f->page.height != f->rows || f->page.x != 0 || f->page.y != 0);
  if (!partial) return frame;
  MagickCore::ExceptionInfo* e = MagickCore::AcquireExceptionInfo();
  MagickCore::Image* canvas = MagickCore::CoalesceImages(f, e);  // `frame` is a one-image list
  // As a Magick::Exception of the same severity: a ResourceLimit one tells the caller
  // that the server ran short, not that the image is bad.
  if (!canvas) throw_magick(e, "thumbnail: coalescing failed");
  MagickCore::DestroyExceptionInfo(e);
  return Magick::Image(canvas);
}

// A palette image (a palette PNG, a GIF frame) is reduced by nearest neighbour, as Pillow
// does for its "P" images: every thumbnail pixel is one of the original's, so the
// frame stays a palette image and the encoder writes its palette and indexes as they
// are, with no colour search and a third of the bytes to compress of an RGB thumbnail.
// Area averaging would mix the colours into new ones that then had to be quantized (or
// mapped back onto the palette: 4.9 ms for a 320x240 GIF frame, measured), and a
// palette image is a graphic whose hard edges averaging would blur anyway.
bool is_palette(const Magick::Image& frame) {
  const MagickCore::Image* f = frame.constImage();
  return f->storage_class == MagickCore::PseudoClass && f->colormap != nullptr && f->colors > 0 && f->colors <= 256;
}

// Nearest neighbour of a palette frame, at w x h: the pixel at the centre of each
// sample's area, as ImageMagick's sample does, but reading each source row once and
// copying only indexes (ImageMagick's took 25 M instructions for 400x300 to 320x240,
// this about 1 M).  The result keeps the frame's palette.
Magick::Image sample_palette(const Magick::Image& frame, std::size_t w, std::size_t h) {
  const MagickCore::Image* src = frame.constImage();
  const std::size_t sw = src->columns, sh = src->rows;
  std::vector<std::size_t> xs(w);
  for (std::size_t x = 0; x < w; ++x) xs[x] = std::min(sw - 1, (2 * x + 1) * sw / (2 * w));
  MagickCore::ExceptionInfo* e = MagickCore::AcquireExceptionInfo();
  // Same palette, class and settings; its pixels are written below.
  MagickCore::Image* out = MagickCore::CloneImage(src, w, h, MagickCore::MagickTrue, e);
  if (!out) throw_magick(e, "thumbnail: no memory for the sample");
  Magick::Image result(out);  // owns `out` from here
  for (std::size_t y = 0; y < h; ++y) {
    const auto sy = static_cast<ssize_t>(std::min(sh - 1, (2 * y + 1) * sh / (2 * h)));
    const MagickCore::PixelPacket* p = MagickCore::GetVirtualPixels(src, 0, sy, sw, 1, e);
    const MagickCore::IndexPacket* pi = p ? MagickCore::GetVirtualIndexQueue(src) : nullptr;
    MagickCore::PixelPacket* q = MagickCore::QueueAuthenticPixels(out, 0, static_cast<ssize_t>(y), w, 1, e);
    MagickCore::IndexPacket* qi = q ? MagickCore::GetAuthenticIndexQueue(out) : nullptr;
    if (!pi || !qi) throw_magick(e, "thumbnail: sampling failed");
    for (std::size_t x = 0; x < w; ++x) {
      q[x] = p[xs[x]];
      qi[x] = pi[xs[x]];
    }
    if (!MagickCore::SyncAuthenticPixels(out, e)) throw_magick(e, "thumbnail: sampling failed");
  }
  MagickCore::DestroyExceptionInfo(e);
  return result;
}

// Fits `img` in exactly w x h: nearest neighbour for a palette frame (see is_palette),
// area averaging otherwise.
void reduce(Magick::Image& img, std::size_t w, std::size_t h) {
  if (img.columns() == w && img.rows() == h) return;
  if (is_palette(img)) {
    img = sample_palette(img, w, h);
    return;
  }
  // Area averaging (ImageMagick's "scale"): each thumbnail pixel is the mean of the
  // source pixels it covers.  No aliasing, and 1.5-3x faster than a windowed filter
  // (Triangle, Lanczos) over a full-size PNG.
  Magick::Geometry target(w, h);
  target.aspect(true);
  img.scale(target);
}

std::uint8_t to_8bit(MagickCore::Quantum q) { return static_cast<std::uint8_t>(MagickCore::ScaleQuantumToChar(q)); }

// ImageMagick 6 keeps opacity (0 = opaque); PNG wants alpha (255 = opaque).
std::uint8_t alpha_of(const MagickCore::PixelPacket& c) {
  using MagickCore::Quantum;  // QuantumRange names it unqualified
  return to_8bit(static_cast<Quantum>(QuantumRange - c.opacity));
}

// The 8-bit pixels of a thumbnail for encode_png: its palette and indexes when it is a
// palette image, else RGB (RGBA when it has alpha).  A 16-bit original gets an 8-bit
// thumbnail.
Raster raster_of(const Magick::Image& img) {
  const MagickCore::Image* f = img.constImage();
  Raster r;
  r.width = static_cast<std::uint32_t>(f->columns);
  r.height = static_cast<std::uint32_t>(f->rows);
  const bool alpha = f->matte != MagickCore::MagickFalse;
  MagickCore::ExceptionInfo* e = MagickCore::AcquireExceptionInfo();
  if (is_palette(img)) {
    r.kind = Raster::Kind::palette;
    for (std::size_t i = 0; i < f->colors; ++i) {
      const MagickCore::PixelPacket& c = f->colormap[i];
      r.palette.push_back({to_8bit(c.red), to_8bit(c.green), to_8bit(c.blue), alpha ? alpha_of(c) : std::uint8_t{255}});
    }
    r.pixels.resize(std::size_t{r.width} * r.height);
    for (std::size_t y = 0; y < r.height; ++y) {
      const MagickCore::PixelPacket* p = MagickCore::GetVirtualPixels(f, 0, static_cast<ssize_t>(y), r.width, 1, e);
      const MagickCore::IndexPacket* pi = p ? MagickCore::GetVirtualIndexQueue(f) : nullptr;
      if (!pi) throw_magick(e, "thumbnail: reading pixels failed");
      std::uint8_t* row = r.pixels.data() + y * r.width;
      for (std::size_t x = 0; x < r.width; ++x) {
        const auto i = static_cast<std::size_t>(pi[x]);
        if (i >= f->colors) throw_magick(e, "thumbnail: index past the palette");
        row[x] = static_cast<std::uint8_t>(i);
      }
    }
  } else {
    r.kind = alpha ? Raster::Kind::rgba : Raster::Kind::rgb;
    r.pixels.resize(std::size_t{r.width} * r.height * (alpha ? 4 : 3));
    if (!MagickCore::ExportImagePixels(f, 0, 0, r.width, r.height, alpha ? "RGBA" : "RGB", MagickCore::CharPixel,
                                       r.pixels.data(), e))
      throw_magick(e, "thumbnail: reading pixels failed");
  }
  MagickCore::DestroyExceptionInfo(e);
  return r;
}

void encode_settings(Magick::Image& img, Format format) {
  img.interlaceType(Magick::NoInterlace);  // else a progressive original's would be too
  switch (format) {
    case Format::jpeg:
      // CMYK JPEGs (print workflows) would keep their inks; browsers want RGB.
      if (img.colorSpace() == Magick::CMYKColorspace) img.colorSpace(Magick::sRGBColorspace);
      img.quality(82);
      break;
    case Format::png: break;  // encode_png, not ImageMagick
    case Format::gif: break;  // the GIF encoder quantizes to 256 colours itself
    case Format::webp: img.quality(82); break;
    case Format::mp4:
    case Format::webm: break;  // never here: a video's thumbnail is its poster's (a JPEG)
  }
  img.magick(std::string(magick_coder(format)));
}

}  // namespace

namespace detail {

Inspected::Decoded reduce_for_thumbnail(const Magick::Image& first, std::uint32_t width, std::uint32_t height,
                                        std::uint32_t thumb_size) {
  Magick::Image img = on_canvas(first);
  img.quiet(true);  // warnings while scaling are not worth failing for
  const auto [tw, th] = fit_within(width, height, thumb_size);
  // Exactly tw x th: the DCT-scaled JPEG frame's rounding may differ from the original's
  // ratio by a pixel.
  reduce(img, tw, th);
  // ImageMagick reports some failures (a quiet warning) as an empty result; an empty
  // image must never reach an encoder, whose assertions would abort the worker.
  if (img.columns() == 0 || img.rows() == 0) throw std::runtime_error("thumbnail: scaling produced no pixels");
  return {img};
}

}  // namespace detail

std::string make_thumbnail(const Inspected& inspected, std::uint32_t size) {
  if (!inspected.decoded) throw std::runtime_error("thumbnail: the image was not decoded");
  try {
    Magick::Image img = inspected.decoded->frame;  // copy on write: `decoded` stays as it is
    img.quiet(true);                               // warnings while encoding a thumbnail are not worth failing for
    // inspect() reduced the frame to Limits::thumb_size; another size scales it again.
    const auto [tw, th] = fit_within(inspected.width, inspected.height, size);
    reduce(img, tw, th);
    if (img.columns() == 0 || img.rows() == 0) throw std::runtime_error("thumbnail: scaling produced no pixels");
    img.autoOrient();  // EXIF orientation, which strip() drops
    // PNG: written by libpng from the known pixels (encode_png says why and how); no
    // metadata is written at all.
    if (inspected.format == Format::png) return encode_png(raster_of(img));
    img.strip();                             // profiles, comments, EXIF/XMP
    img.page(Magick::Geometry(0, 0, 0, 0));  // no canvas offset from an animation
    encode_settings(img, inspected.format);
    Magick::Blob blob;
    img.write(&blob);
    return std::string(static_cast<const char*>(blob.data()), blob.length());
  } catch (const Magick::Exception& e) { throw std::runtime_error(std::string("thumbnail: ") + e.what()); }
}

bool is_own_thumbnail(const Inspected& inspected, std::size_t stored_bytes, std::uint32_t size) {
  return inspected.width <= size && inspected.height <= size && stored_bytes <= kMaxOriginalAsThumbnailBytes;
}

std::string thumbnail_of(const Inspected& inspected, std::string_view stored, std::uint32_t size) {
  if (is_own_thumbnail(inspected, stored.size(), size)) return std::string(stored);
  return make_thumbnail(inspected, size);
}

std::string thumbnail_from_bytes(std::string_view bytes, const Limits& limits) {
  return thumbnail_of(inspect(bytes, limits), bytes, limits.thumb_size);
}

}  // namespace imghost::image
