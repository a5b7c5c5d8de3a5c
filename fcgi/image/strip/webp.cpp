#include "image/strip/strip_formats.hpp"

#include <vector>

#include "base/binary.hpp"
#include "image/strip/exif.hpp"

namespace imghost::image::strip {
namespace {

using Byte = unsigned char;
using binary::at;
using binary::le32;
using binary::put_le32;

// RIFF container (https://developers.google.com/speed/webp/docs/riff_container): "RIFF",
// u32le size of what follows, "WEBP", then chunks: fourcc, u32le payload size, payload,
// one pad byte if the size is odd.  VP8X (extended format) has a flags byte whose 0x08
// bit announces an EXIF chunk and 0x04 an XMP chunk; both must match the chunks present.
//
// WebP viewers generally ignore EXIF orientation (Firefox explicitly does; the container
// spec gives EXIF no rendering role), so dropping it would be fine.  It is kept all the
// same, as a minimal EXIF chunk, for the few that honour it: it costs no privacy.
struct RiffChunk {
  std::string_view fourcc;
  std::string_view payload;
  std::string_view whole;  // header, payload and pad byte
};

}  // namespace

std::optional<std::string> strip_webp(std::string_view in) {
  if (in.size() < 12 || !in.starts_with("RIFF") || in.substr(8, 4) != "WEBP") return std::nullopt;
  const std::size_t riff_size = le32(in, 4);
  if (riff_size < 4 || in.size() - 8 < riff_size) return std::nullopt;
  const std::size_t end = 8 + riff_size;

  std::vector<RiffChunk> chunks;
  for (std::size_t pos = 12; pos < end;) {
    if (end - pos < 8) return std::nullopt;
    const std::uint64_t size = le32(in, pos + 4);
    const std::uint64_t padded = size + (size & 1);
    if (end - pos - 8 < padded) return std::nullopt;
    chunks.push_back({in.substr(pos, 4), in.substr(pos + 8, static_cast<std::size_t>(size)),
                      in.substr(pos, static_cast<std::size_t>(8 + padded))});
    pos += static_cast<std::size_t>(8 + padded);
  }

  std::optional<std::string> exif;  // the minimal EXIF payload, if there is an orientation
  for (const RiffChunk& c : chunks) {
    if (c.fourcc == "EXIF") {
      const std::string_view prefix = exif_prefix(c.payload);
      if (const auto o = exif_orientation(c.payload.substr(prefix.size())))
        exif = std::string(prefix) + minimal_exif(*o);
      break;
    }
  }

  std::string body = "WEBP";
  body.reserve(end);
  bool exif_written = false;
  for (const RiffChunk& c : chunks) {
    if (c.fourcc == "XMP ") continue;
    if (c.fourcc == "EXIF") {
      if (exif && !exif_written) {
        body += "EXIF";
        put_le32(body, static_cast<std::uint32_t>(exif->size()));
        body += *exif;  // 26 or 32 bytes: even, no pad byte
        exif_written = true;
      }
      continue;
    }
    if (c.fourcc == "VP8X" && !c.payload.empty()) {
      std::string vp8x(c.whole);
      Byte flags = at(c.payload, 0) & static_cast<Byte>(~0x04u);  // no XMP chunk left
      if (!exif) flags &= static_cast<Byte>(~0x08u);              // nor an EXIF chunk
      vp8x[8] = static_cast<char>(flags);
      body += vp8x;
      continue;
    }
    body.append(c.whole);
  }

  std::string out = "RIFF";
  out.reserve(8 + body.size() + (in.size() - end));
  put_le32(out, static_cast<std::uint32_t>(body.size()));
  out += body;
  out.append(in.substr(end));  // bytes past the RIFF size: not part of the image, kept as is
  return out;
}

}  // namespace imghost::image::strip
