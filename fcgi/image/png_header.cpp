#include <cstring>

#include "image/header.hpp"

// Layout: the 8-byte signature, then the IHDR chunk: u32be length (13), "IHDR",
// u32be width, u32be height, bit depth, colour type, compression, filter, interlace,
// u32be CRC.  The CRC and the remaining fields are left to libpng.

namespace imghost::image::detail {

namespace {

std::uint32_t be32(const unsigned char* p) {
  return std::uint32_t{p[0]} << 24 | std::uint32_t{p[1]} << 16 | std::uint32_t{p[2]} << 8 | std::uint32_t{p[3]};
}

}  // namespace

std::optional<Header> png_header(std::string_view bytes) {
  const auto* p = reinterpret_cast<const unsigned char*>(bytes.data());
  if (bytes.size() < 33 || std::memcmp(p, "\x89PNG\r\n\x1A\n", 8) != 0) return std::nullopt;
  if (be32(p + 8) != 13 || std::memcmp(p + 12, "IHDR", 4) != 0) return std::nullopt;
  return still_image(be32(p + 16), be32(p + 20));
}

}  // namespace imghost::image::detail
