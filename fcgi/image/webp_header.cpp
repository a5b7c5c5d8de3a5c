#include "image/header.hpp"

#include <algorithm>
#include <cstring>

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

using Bytes = const unsigned char*;

std::uint32_t le16(Bytes p) { return std::uint32_t{p[0]} | std::uint32_t{p[1]} << 8; }
std::uint32_t le24(Bytes p) { return le16(p) | std::uint32_t{p[2]} << 16; }
std::uint32_t le32(Bytes p) { return le24(p) | std::uint32_t{p[3]} << 24; }

struct Chunk {
  char fourcc[4];
  Bytes payload;
  std::size_t available;  // bytes of the payload inside the buffer
  std::size_t next;       // offset of the following chunk
};

// The chunk at `offset`, or nullopt when fewer than its 8 header bytes remain.
std::optional<Chunk> chunk_at(Bytes data, std::size_t end, std::size_t offset) {
  if (offset > end || end - offset < 8) return std::nullopt;
  Chunk c;
  std::memcpy(c.fourcc, data + offset, 4);
  const std::uint64_t size = le32(data + offset + 4);
  const std::size_t start = offset + 8;
  c.payload = data + start;
  c.available = static_cast<std::size_t>(std::min<std::uint64_t>(size, end - start));
  c.next = static_cast<std::size_t>(std::min<std::uint64_t>(start + size + (size & 1), end));
  return c;
}

bool is(const Chunk& c, const char (&fourcc)[5]) { return std::memcmp(c.fourcc, fourcc, 4) == 0; }

}  // namespace

std::optional<Header> webp_header(std::string_view bytes) {
  const auto* data = reinterpret_cast<Bytes>(bytes.data());
  if (bytes.size() < 12 || std::memcmp(data, "RIFF", 4) != 0 || std::memcmp(data + 8, "WEBP", 4) != 0)
    return std::nullopt;
  // The RIFF size bounds the chunks; anything after it is not part of the image.
  const std::size_t end =
      static_cast<std::size_t>(std::min<std::uint64_t>(bytes.size(), std::uint64_t{le32(data + 4)} + 8));
  const auto first = chunk_at(data, end, 12);
  if (!first) return std::nullopt;
  const Bytes p = first->payload;

  if (is(*first, "VP8 ")) {
    if (first->available < 10 || p[3] != 0x9D || p[4] != 0x01 || p[5] != 0x2A) return std::nullopt;
    return still_image(le16(p + 6) & 0x3FFF, le16(p + 8) & 0x3FFF);
  }
  if (is(*first, "VP8L")) {
    if (first->available < 5 || p[0] != 0x2F) return std::nullopt;
    const std::uint32_t bits = le32(p + 1);
    return still_image((bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1);
  }
  if (!is(*first, "VP8X") || first->available < 10) return std::nullopt;

  const bool animated = (p[0] & 0x02) != 0;
  const std::uint32_t width = le24(p + 4) + 1;
  const std::uint32_t height = le24(p + 7) + 1;
  if (!animated) return still_image(width, height);

  Header h{width, height, 0, 0, 0, 0};
  for (auto c = chunk_at(data, end, first->next); c; c = chunk_at(data, end, c->next)) {
    if (is(*c, "ANMF") && c->available >= 16) {
      const std::uint32_t fw = le24(c->payload + 6) + 1;
      const std::uint32_t fh = le24(c->payload + 9) + 1;
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
