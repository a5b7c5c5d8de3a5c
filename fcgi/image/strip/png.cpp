#include "image/strip/strip_formats.hpp"

#include <zlib.h>

#include "base/binary.hpp"
#include "image/png_chunks.hpp"
#include "image/strip/exif.hpp"

namespace imghost::image::strip {
namespace {

using Byte = unsigned char;
using binary::at;
using binary::be32;
using binary::put_be32;

// Chunks (PNG spec 5.3): u32be length (< 2^31), 4-letter type, data, CRC-32 over type and
// data.  A lower-case first letter marks an ancillary chunk.  Ancillary chunks are kept
// only if they change what is displayed (is_png_rendering_chunk, shared with the bytes
// handed to the decoder).
constexpr std::string_view kPngSignature("\x89PNG\r\n\x1a\n", 8);

bool ascii_letter(Byte c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); }

// PNG's CRC-32 is zlib's.
std::uint32_t crc32_of(std::string_view data) {
  return static_cast<std::uint32_t>(
      ::crc32(0L, reinterpret_cast<const Bytef*>(data.data()), static_cast<uInt>(data.size())));
}

}  // namespace

std::optional<std::string> strip_png(std::string_view in) {
  if (!in.starts_with(kPngSignature)) return std::nullopt;
  std::string out;
  out.reserve(in.size());
  out.append(kPngSignature);
  bool seen_exif = false;
  std::size_t pos = kPngSignature.size();
  while (pos < in.size()) {  // a file that just ends after a whole chunk is fine too
    if (in.size() - pos < 12) return std::nullopt;
    const std::uint32_t length = be32(in, pos);
    if (length > 0x7FFFFFFF || in.size() - pos - 12 < length) return std::nullopt;
    const std::string_view type = in.substr(pos + 4, 4);
    for (const char c : type)
      if (!ascii_letter(static_cast<Byte>(c))) return std::nullopt;
    if (pos == kPngSignature.size() && type != "IHDR") return std::nullopt;
    const std::string_view chunk = in.substr(pos, 12 + std::size_t{length});
    const std::string_view data = in.substr(pos + 8, length);
    if (type == "IEND") {  // the image ends here; whatever follows is not ours to judge
      out.append(in.substr(pos));
      return out;
    }
    pos += chunk.size();

    if (type == "eXIf") {
      // Browsers have begun to rotate by eXIf orientation (Chromium does when the chunk
      // precedes IDAT); keep it as a minimal eXIf in the same place, with its own CRC.
      if (seen_exif) continue;
      seen_exif = true;
      const std::string_view prefix = exif_prefix(data);
      if (const auto o = exif_orientation(data.substr(prefix.size()))) {
        const std::string body = "eXIf" + std::string(prefix) + minimal_exif(*o);
        put_be32(out, static_cast<std::uint32_t>(body.size() - 4));
        out += body;
        put_be32(out, crc32_of(body));
      }
    } else if ((at(type, 0) & 0x20) == 0 || is_png_rendering_chunk(type)) {
      out.append(chunk);  // critical (even unknown ones) or rendering: copied with its CRC
    }
  }
  return out;
}

}  // namespace imghost::image::strip
