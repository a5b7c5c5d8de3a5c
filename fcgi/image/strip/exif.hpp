// The one piece of EXIF the metadata stripper keeps: the orientation (internal to
// fcgi/image/).  Pure, thread-safe; reads only inside the given bytes.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace imghost::image::strip {

// Viewers rotate the pixels by it, so dropping it would show a portrait photo on its side.
struct Orientation {
  bool big_endian;
  std::uint16_t value;  // 2..8; 1 (as stored) and out-of-range values are not kept
};

// The IFD0 Orientation tag (0x0112) of a TIFF structure ("II*\0" or "MM\0*", u32 offset
// of IFD0, IFD0: u16 count, 12-byte entries {u16 tag, u16 type, u32 count, 4-byte value}).
// Only IFD0 is read; entries cut off by the end are ignored.  nullopt when there is no
// usable Orientation.
std::optional<Orientation> exif_orientation(std::string_view tiff);

// Some writers put JPEG's "Exif\0\0" in front of the TIFF structure in PNG and WebP too,
// and some readers (ImageMagick among them) only understand it that way.  The minimal
// block keeps the prefix if the original had one, so every reader sees the orientation
// exactly as it did before.
inline constexpr std::string_view kExifPrefix("Exif\0\0", 6);
// kExifPrefix if `exif` starts with it, else "".
std::string_view exif_prefix(std::string_view exif);

// A TIFF structure with only IFD0 Orientation: header (same byte order as the original),
// one entry {0x0112, SHORT, 1, value}, next-IFD offset 0.  26 bytes.
std::string minimal_exif(const Orientation& o);

}  // namespace imghost::image::strip
