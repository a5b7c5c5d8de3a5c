// What inspect() keeps of its decode for make_thumbnail() (internal to fcgi/image/ and its
// tests).  The public header only forward-declares it, so it needs no Magick++.
#pragma once

#include <cstdint>

#include "image/inspect.hpp"
#include "image/magick.hpp"

namespace imghost::image {

struct Inspected::Decoded {
  // The first frame, on its canvas, already scaled to fit in Limits::thumb_size (never
  // enlarged): the full-size decode is released before inspect() returns, so the files
  // of one request never hold more than one full-size decode at a time.  Carries no
  // progress monitor.  Treated as immutable once inspect() returns.
  // A palette frame (palette PNG, GIF) was reduced by nearest neighbour and is still a
  // palette image.
  Magick::Image frame;
};

namespace detail {

// The Decoded of `first`, the first frame of a decoded width x height image (for JPEG
// decoded at a reduced DCT scale, so possibly smaller): put on its canvas when it covers
// only part of it (GIF, WebP), then scaled to exactly fit_within(width, height,
// thumb_size): by nearest neighbour for a palette frame, else by area averaging.  `first` is not changed.  Throws
// Magick::Exception (a ResourceLimit one when ImageMagick runs out of memory, map or
// disk) or std::runtime_error if scaling produced no pixels.
Inspected::Decoded reduce_for_thumbnail(const Magick::Image& first, std::uint32_t width, std::uint32_t height,
                                        std::uint32_t thumb_size);

}  // namespace detail

}  // namespace imghost::image
