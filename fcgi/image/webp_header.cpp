#include "base/binary.hpp"
#include "image/header.hpp"

#include <algorithm>

// Layout (https://developers.google.com/speed/webp/docs/riff_container):
//   "RIFF" u32le(size) "WEBP", then chunks: fourcc, u32le(payload size), payload,
//   padded to an even size.  The first chunk is one of
//   "VP8 "  lossy:    3-byte frame tag, start code 9D 01 2A, u16le width, u16le height
//                     (low 14 bits each)
//   "VP8L"  lossless: 0x2F, then 14 bits width-1, 14 bits height-1 (little-endian bits)
//   "VP8X"  extended: flags (0x02 = animation), 3 reserved bytes, u24le canvas
//                     width-1, u24le canvas height-1; an animation then has one
//                     "ANMF" chunk per frame: u24le x/2, y/2, width-1, height-1, ...

namespace imghost::image::detail {

namespace {

using binary::at;
using binary::le16;
using binary::le24;
using binary::le32;

struct Chunk {
  std::string_view fourcc;
  std::string_view payload;  // the part of the payload inside the buffer
  std::size_t next;          // offset of the following chunk
};

// The chunk at `offset`, or nullopt when fewer than its 8 header bytes remain.
std::optional<Chunk> chunk_at(std::string_view data, std::size_t end, std::size_t offset) {
  if (offset > end || end - offset < 8) return std::nullopt;
  const std::uint64_t size = le32(data, offset + 4);
  const std::size_t start = offset + 8;
  const auto available = static_cast<std::size_t>(std::min<std::uint64_t>(size, end - start));
  return Chunk{data.substr(offset, 4), data.substr(start, available),
               static_cast<std::size_t>(std::min<std::uint64_t>(start + size + (size & 1), end))};
}

}  // namespace

std::optional<Header> webp_header(std::string_view data) {
  if (data.size() < 12 || !data.starts_with("RIFF") || data.substr(8, 4) != "WEBP") return std::nullopt;
  // The RIFF size bounds the chunks; anything after it is not part of the image.
  const std::size_t end =
      static_cast<std::size_t>(std::min<std::uint64_t>(data.size(), std::uint64_t{le32(data, 4)} + 8));
  const auto first = chunk_at(data, end, 12);
  if (!first) return std::nullopt;
  const std::string_view p = first->payload;

  if (first->fourcc == "VP8 ") {
    if (p.size() < 10 || at(p, 3) != 0x9D || at(p, 4) != 0x01 || at(p, 5) != 0x2A) return std::nullopt;
    return still_image(le16(p, 6) & 0x3FFF, le16(p, 8) & 0x3FFF);
  }
  if (first->fourcc == "VP8L") {
    if (p.size() < 5 || at(p, 0) != 0x2F) return std::nullopt;
    const std::uint32_t bits = le32(p, 1);
    return still_image((bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1);
  }
  if (first->fourcc != "VP8X" || p.size() < 10) return std::nullopt;

  const bool animated = (at(p, 0) & 0x02) != 0;
  const std::uint32_t width = le24(p, 4) + 1;
  const std::uint32_t height = le24(p, 7) + 1;
  if (!animated) return still_image(width, height);

  Header h{width, height, 0, 0, 0, 0};
  for (auto c = chunk_at(data, end, first->next); c; c = chunk_at(data, end, c->next)) {
    if (c->fourcc == "ANMF" && c->payload.size() >= 16) {
      const std::uint32_t fw = le24(c->payload, 6) + 1;
      const std::uint32_t fh = le24(c->payload, 9) + 1;
      ++h.frames;
      h.max_frame_width = std::max(h.max_frame_width, fw);
      h.max_frame_height = std::max(h.max_frame_height, fh);
      h.frame_pixels += std::uint64_t{fw} * fh;
    }
    if (c->next >= end) break;
  }
  if (h.frames == 0) return std::nullopt;
  return h;
}

}  // namespace imghost::image::detail
