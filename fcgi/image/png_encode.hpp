// A PNG writer for thumbnails, over libpng: 8-bit pixels in, a minimal PNG out (IHDR,
// PLTE and tRNS for a palette, IDAT, IEND; no metadata at all).
//
// Why not ImageMagick's PNG coder: it spends most of a small thumbnail's time before any
// byte is compressed: it copies the image, sets its depth and analyses every pixel to
// choose a colour type (measured with callgrind on the 320x240 thumbnail of a 400x300
// palette PNG: 40 M instructions in WriteImage, 6 M of them in zlib).  A thumbnail's
// pixels are known here, so the colour type is too, and libpng (which ImageMagick uses
// underneath) writes them as they are: palette indexes stay indexes.
//
// Pure: no I/O, no globals, no ImageMagick.  Thread-safe (one libpng write per call).
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

namespace imghost::image {

struct Raster {
  enum class Kind { palette, rgb, rgba };
  Kind kind = Kind::rgb;
  std::uint32_t width = 0;
  std::uint32_t height = 0;
  // width x height samples, rows top to bottom: one byte (a palette index) per pixel for
  // a palette, 3 (R, G, B) or 4 (R, G, B, A) otherwise.
  std::vector<std::uint8_t> pixels;
  // palette only: 1 to 256 entries of R, G, B, A (255 = opaque).
  std::vector<std::array<std::uint8_t, 4>> palette;
};

// The PNG of `raster`: rows unfiltered and run-length compressed for a palette (indexes
// do not predict each other, and come in runs), Paeth-filtered and compressed at zlib
// level 3 otherwise.  Throws std::invalid_argument when the raster is inconsistent
// (sizes, an empty or oversized palette, an index past it), std::bad_alloc when libpng
// cannot start, std::runtime_error when libpng reports an error.
std::string encode_png(const Raster& raster);

}  // namespace imghost::image
