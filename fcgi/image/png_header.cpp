#include "base/binary.hpp"
#include "image/header.hpp"

// Layout: the 8-byte signature, then the IHDR chunk: u32be length (13), "IHDR",
// u32be width, u32be height, bit depth, colour type, compression, filter, interlace,
// u32be CRC.  The CRC and the remaining fields are left to libpng.

namespace imghost::image::detail {

std::optional<Header> png_header(std::string_view bytes) {
  if (bytes.size() < 33 || !bytes.starts_with(std::string_view("\x89PNG\r\n\x1A\n", 8))) return std::nullopt;
  if (binary::be32(bytes, 8) != 13 || bytes.substr(12, 4) != "IHDR") return std::nullopt;
  return still_image(binary::be32(bytes, 16), binary::be32(bytes, 20));
}

}  // namespace imghost::image::detail
