// What inspect() decoded, kept for make_thumbnail() (internal to fcgi/image/ and its
// tests).  The public header only forward-declares it, so it needs no Magick++.
#pragma once

#include "image/inspect.hpp"
#include "image/magick.hpp"

namespace imghost::image {

struct Inspected::Decoded {
  // The first frame, as decoded: for JPEG at a reduced scale (libjpeg DCT scaling to
  // between 1x and 2x Limits::thumb_size), so it may be much smaller than
  // Inspected::width x height; a thumbnail bigger than thumb_size is upscaled from it.
  // For GIF and WebP it may be a sub-rectangle of the canvas (see page()).
  // Carries no progress monitor.  Treated as immutable once inspect() returns.
  Magick::Image first_frame;
};

}  // namespace imghost::image
