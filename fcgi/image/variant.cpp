// Variants reuse inspect()'s decode: it already reads a JPEG at the smallest DCT scale
// that covers the box and reduces the first frame to the box (the thumbnail's path with
// another size), so a 12-megapixel photo is never held at full size.  Only an animation
// asked for in WebP is decoded again whole, frame by frame.
#include "image/variant.hpp"

#include <stdexcept>
#include <vector>

#include "domain/thumbnail_geometry.hpp"
#include "image/decoded.hpp"
#include "image/magick_read.hpp"

namespace imghost::image {

namespace {

std::string_view coder_of(VariantFormat f) {
  switch (f) {
    case VariantFormat::webp: return "WEBP";
    case VariantFormat::avif: return "AVIF";  // libheif (with libaom) behind ImageMagick
    case VariantFormat::jpeg: return "JPEG";
    case VariantFormat::png: return "PNG";
  }
  return "";
}

// What every variant frame gets before encoding: sRGB (a CMYK JPEG's inks converted),
// no profiles or comments or EXIF, no canvas offset, 8 bits.
void prepare(Magick::Image& img, VariantFormat format) {
  img.quiet(true);
  if (img.colorSpace() != Magick::sRGBColorspace) img.colorSpace(Magick::sRGBColorspace);
  img.strip();
  img.page(Magick::Geometry(0, 0, 0, 0));
  img.depth(8);
  img.interlaceType(Magick::NoInterlace);
  switch (format) {
    case VariantFormat::webp: img.quality(kVariantWebpQuality); break;
    case VariantFormat::avif: img.quality(kVariantAvifQuality); break;
    case VariantFormat::jpeg:
      img.quality(kVariantJpegQuality);
      img.matte(false);  // composited onto white by make_variant
      break;
    case VariantFormat::png: break;
  }
  img.magick(std::string(coder_of(format)));
}

std::string blob_text(const Magick::Blob& blob) {
  return std::string(static_cast<const char*>(blob.data()), blob.length());
}

// An animated original (GIF or WebP) as an animated WebP fit in box x box: every frame
// put on the canvas (coalesced), scaled, delays and loop kept.
std::string animated_webp(std::string_view stored, const Inspected& inspected, const Limits& limits,
                          std::uint32_t box) {
  detail::Deadline deadline(limits.decode_timeout);
  detail::ImageList list = detail::read_forced(stored, inspected.format, {}, deadline);
  std::vector<Magick::Image> frames;
  for (MagickCore::Image* p = list.get(); p; p = MagickCore::GetNextImageInList(p)) {
    MagickCore::ExceptionInfo* e = MagickCore::AcquireExceptionInfo();
    MagickCore::Image* copy = MagickCore::CloneImage(p, 0, 0, MagickCore::MagickTrue, e);
    MagickCore::DestroyExceptionInfo(e);
    if (!copy) throw std::runtime_error("variant: no memory for a frame");
    frames.emplace_back(copy);
  }
  list.reset();
  std::vector<Magick::Image> canvas;
  Magick::coalesceImages(&canvas, frames.begin(), frames.end());
  frames.clear();
  const auto [w, h] = fit_within(inspected.width, inspected.height, box);
  for (auto& f : canvas) {
    f.quiet(true);
    if (f.columns() != w || f.rows() != h) {
      Magick::Geometry g(w, h);
      g.aspect(true);
      f.scale(g);
    }
    prepare(f, VariantFormat::webp);
  }
  if (canvas.empty() || canvas.front().columns() == 0) throw std::runtime_error("variant: no frame");
  Magick::Blob blob;
  Magick::writeImages(canvas.begin(), canvas.end(), &blob, true);
  return blob_text(blob);
}

}  // namespace

std::string make_variant(std::string_view stored, const Limits& limits, std::uint32_t box, VariantFormat format) {
  Limits at_box = limits;
  at_box.thumb_size = box;  // inspect() reduces the first frame to this box
  const Inspected inspected = inspect(stored, at_box);
  try {
    if (format == VariantFormat::webp && inspected.frames > 1) return animated_webp(stored, inspected, limits, box);
    Magick::Image img = inspected.decoded->frame;  // copy on write
    img.quiet(true);
    img.autoOrient();  // EXIF orientation, which strip() then drops
    if (format == VariantFormat::jpeg && img.matte()) {
      // JPEG has no alpha: onto white, as the site's pages show a transparent image.
      Magick::Image white(Magick::Geometry(img.columns(), img.rows()), Magick::Color("white"));
      white.composite(img, 0, 0, Magick::OverCompositeOp);
      img = white;
    }
    prepare(img, format);
    if (img.columns() == 0 || img.rows() == 0) throw std::runtime_error("variant: no pixels");
    Magick::Blob blob;
    img.write(&blob);
    return blob_text(blob);
  } catch (const Magick::ErrorResourceLimit&) { throw detail::out_of_resources(); } catch (const Magick::ErrorCache&) {
    throw detail::out_of_resources();
  } catch (const Magick::Exception& e) { throw std::runtime_error(std::string("variant: ") + e.what()); }
}

}  // namespace imghost::image
