// The size of an image as its header tells it, learned without decoding any pixel
// (internal to fcgi/image/).  inspect() checks it against the Limits before decoding.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

namespace imghost::image::detail {

struct Header {
  std::uint32_t width = 0;  // what a browser shows: the canvas of an animation
  std::uint32_t height = 0;
  std::uint32_t frames = 0;           // as far as counted (a ping may stop counting early)
  std::uint32_t max_frame_width = 0;  // the largest frame, which may exceed the canvas
  std::uint32_t max_frame_height = 0;
  std::uint64_t frame_pixels = 0;  // sum of width*height over the frames: what a
                                   // full decode produces
};

// A Header for a still image of w x h.
constexpr Header still_image(std::uint32_t w, std::uint32_t h) { return Header{w, h, 1, w, h, std::uint64_t{w} * h}; }

// For PNG, WebP and GIF imghost reads the header itself rather than asking ImageMagick
// to "ping": 6.9.11's WebP coder ignores ping and decodes every frame, its PNG coder
// returns nothing at all, without a reason, for an IHDR over its own width/height
// limit, and its GIF coder reports a frame over that limit as "memory allocation
// failed", which cannot be told apart from the server running short of memory.  All
// three are pure and thread-safe and read only inside `bytes`; nullopt means the header
// is malformed.

// PNG: the IHDR chunk, which must come first (libpng insists too).  APNG frames are
// not counted: ImageMagick 6 decodes only the default image.
std::optional<Header> png_header(std::string_view bytes);

// WebP: canvas size from the first chunk (VP8, VP8L or VP8X) and, for an animation,
// each ANMF chunk's frame size.  Malformed: not RIFF/WEBP, unknown first chunk, bad
// VP8/VP8L signature, animation without frames.  Chunks past the end of `bytes` are
// not counted: the decode that follows refuses a truncated file.
std::optional<Header> webp_header(std::string_view bytes);

// GIF: the logical screen (or, when it is 0 wide or high, the first frame's size) and
// each image descriptor's frame size, without decoding any image data.  Malformed: no
// GIF87a/GIF89a signature, no frame.  The walk stops as decoders do: at the trailer, at
// a byte that starts no record, or where the bytes end.
std::optional<Header> gif_header(std::string_view bytes);

}  // namespace imghost::image::detail
