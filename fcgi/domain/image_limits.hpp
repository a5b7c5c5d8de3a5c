// How much an uploaded image may be: its formats, dimensions, frames, and the memory and
// time its decode may take (image/inspect.hpp applies them; the configuration sets them).
#pragma once

#include <chrono>
#include <cstdint>
#include <set>

#include "domain/image_format.hpp"

namespace imghost::image {

struct Limits {
  std::set<Format> accepted{Format::jpeg, Format::png, Format::gif, Format::webp};
  std::uint32_t max_width = 20000;
  std::uint32_t max_height = 20000;
  std::uint64_t max_pixels = 50'000'000;    // width * height of the canvas
  std::uint32_t max_frames = 500;           // frames of an animation
  std::uint64_t memory_bytes = 256u << 20;  // ImageMagick memory/map limits
  std::chrono::milliseconds decode_timeout{10'000};
  std::uint32_t thumb_size = 320;  // thumbnails fit in thumb_size x thumb_size
};

}  // namespace imghost::image
