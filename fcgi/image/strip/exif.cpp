#include "image/strip/exif.hpp"

#include "base/binary.hpp"

namespace imghost::image::strip {

using binary::be16;
using binary::be32;
using binary::le16;
using binary::le32;

std::optional<Orientation> exif_orientation(std::string_view tiff) {
  if (tiff.size() < 8) return std::nullopt;
  bool big;
  if (tiff.starts_with(std::string_view("MM\0*", 4))) {
    big = true;
  } else if (tiff.starts_with(std::string_view("II*\0", 4))) {
    big = false;
  } else {
    return std::nullopt;
  }
  const auto u16 = [&](std::size_t i) { return big ? be16(tiff, i) : le16(tiff, i); };
  const auto u32 = [&](std::size_t i) { return big ? be32(tiff, i) : le32(tiff, i); };

  const std::size_t ifd = u32(4);
  // IFD0 never overlaps the header; requiring so also keeps the input's EXIF block at
  // least as large as the minimal one minus 4 bytes (see the header's size bound).
  if (ifd < 8 || ifd > tiff.size() || tiff.size() - ifd < 2) return std::nullopt;
  const std::size_t count = u16(ifd);
  const std::size_t entries = ifd + 2;
  for (std::size_t i = 0; i < count && (tiff.size() - entries) / 12 > i; ++i) {
    const std::size_t entry = entries + 12 * i;
    if (u16(entry) != 0x0112) continue;
    const std::uint32_t type = u16(entry + 2);
    std::uint32_t value;
    if (type == 3 && u32(entry + 4) >= 1) {  // SHORT, as the standard says
      value = u16(entry + 8);
    } else if (type == 4 && u32(entry + 4) >= 1) {  // LONG, written by a few tools
      value = u32(entry + 8);
    } else {
      return std::nullopt;
    }
    if (value < 2 || value > 8) return std::nullopt;
    return Orientation{big, static_cast<std::uint16_t>(value)};
  }
  return std::nullopt;
}

std::string_view exif_prefix(std::string_view exif) {
  return exif.starts_with(kExifPrefix) ? kExifPrefix : std::string_view();
}

std::string minimal_exif(const Orientation& o) {
  std::string t;
  const auto u16 = [&](std::uint32_t v) {
    const char hi = static_cast<char>(v >> 8 & 0xFF), lo = static_cast<char>(v & 0xFF);
    t += o.big_endian ? hi : lo;
    t += o.big_endian ? lo : hi;
  };
  const auto u32 = [&](std::uint32_t v) {
    u16(o.big_endian ? v >> 16 : v & 0xFFFF);
    u16(o.big_endian ? v & 0xFFFF : v >> 16);
  };
  t += o.big_endian ? "MM" : "II";
  u16(42);      // TIFF magic
  u32(8);       // IFD0 right after the header
  u16(1);       // one entry
  u16(0x0112);  // Orientation
  u16(3);       // SHORT
  u32(1);       // count
  u16(o.value);
  u16(0);  // rest of the 4-byte value field
  u32(0);  // no IFD1 (and so no thumbnail)
  return t;
}

}  // namespace imghost::image::strip
