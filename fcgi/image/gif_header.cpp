#include "base/binary.hpp"
#include "image/gif_blocks.hpp"
#include "image/header.hpp"

#include <algorithm>

// Layout (GIF89a specification): "GIF87a" or "GIF89a", the logical screen descriptor
// (u16le width, u16le height, a packed byte announcing a global colour table of
// 3 * 2^(n+1) bytes, 2 more bytes), then records until the trailer 0x3B: an image
// (0x2C, u16le left, top, width, height, a packed byte with the same colour table bits,
// the local table, the LZW minimum code size, data sub-blocks) or an extension (0x21, a
// label, data sub-blocks).  Sub-blocks are a size byte and that many bytes, ended by a
// size of 0.

namespace imghost::image::detail {

namespace {

using binary::at;
using binary::le16;

using gif::colour_table_size;
using gif::skip_sub_blocks;

}  // namespace

std::optional<Header> gif_header(std::string_view in) {
  if (in.size() < 13 || (!in.starts_with("GIF87a") && !in.starts_with("GIF89a"))) return std::nullopt;
  const std::uint32_t screen_width = le16(in, 6);
  const std::uint32_t screen_height = le16(in, 8);
  Header h{screen_width, screen_height, 0, 0, 0, 0};
  std::size_t pos = 13 + colour_table_size(at(in, 10));
  // As ImageMagick and browsers, the walk stops at the trailer, at the end of the bytes
  // or at a byte that starts no record; a record cut short ends it too (the decode that
  // follows refuses a truncated frame).
  while (pos < in.size()) {
    const unsigned char record = at(in, pos);
    if (record == 0x2C) {
      if (in.size() - pos < 10) break;
      const std::uint32_t w = le16(in, pos + 5);
      const std::uint32_t r = le16(in, pos + 7);
      if (h.frames == 0 && (screen_width == 0 || screen_height == 0)) {
        h.width = w;  // no logical screen: ImageMagick shows the first frame's size
        h.height = r;
      }
      ++h.frames;
      h.max_frame_width = std::max(h.max_frame_width, w);
      h.max_frame_height = std::max(h.max_frame_height, r);
      h.frame_pixels += std::uint64_t{w} * r;
      const std::size_t table = colour_table_size(at(in, pos + 9));
      pos += 10;
      if (in.size() - pos < table + 1) break;
      pos += table + 1;  // and the LZW minimum code size
      if (!skip_sub_blocks(in, pos)) break;
    } else if (record == 0x21) {
      pos += 2;
      if (!skip_sub_blocks(in, pos)) break;
    } else {
      break;
    }
  }
  if (h.frames == 0) return std::nullopt;
  return h;
}

}  // namespace imghost::image::detail
