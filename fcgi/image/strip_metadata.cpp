#include "image/strip_metadata.hpp"

#include <cstddef>
#include <cstdint>
#include <optional>
#include <utility>
#include <vector>

#include "image/png_chunks.hpp"

// Every reader below walks a container with explicit bounds checks against the end of
// the buffer (lengths are compared as `remaining < needed`, never as `pos + needed`, so
// nothing can overflow) and gives up by returning nullopt as soon as a length, a marker
// or a header does not fit; strip_metadata() then returns the input unchanged (except
// in a JPEG whose first scan has begun: see strip_jpeg).  Nothing is ever decoded, so the
// compressed image data reaches the output byte for byte.

namespace imghost::image {

namespace {

using Byte = unsigned char;

Byte at(std::string_view s, std::size_t i) { return static_cast<Byte>(s[i]); }

bool starts_with(std::string_view s, std::string_view prefix) {
  return s.substr(0, prefix.size()) == prefix;
}

std::uint32_t be16(std::string_view s, std::size_t i) {
  return std::uint32_t{at(s, i)} << 8 | at(s, i + 1);
}
std::uint32_t be32(std::string_view s, std::size_t i) { return be16(s, i) << 16 | be16(s, i + 2); }
std::uint32_t le16(std::string_view s, std::size_t i) {
  return std::uint32_t{at(s, i)} | std::uint32_t{at(s, i + 1)} << 8;
}
std::uint32_t le32(std::string_view s, std::size_t i) { return le16(s, i) | le16(s, i + 2) << 16; }

void put_be16(std::string& out, std::uint32_t v) {
  out += static_cast<char>(v >> 8 & 0xFF);
  out += static_cast<char>(v & 0xFF);
}
void put_be32(std::string& out, std::uint32_t v) {
  put_be16(out, v >> 16);
  put_be16(out, v & 0xFFFF);
}
void put_le32(std::string& out, std::uint32_t v) {
  for (int shift = 0; shift < 32; shift += 8) out += static_cast<char>(v >> shift & 0xFF);
}

// --- EXIF orientation ---------------------------------------------------------------------

// The one piece of EXIF worth keeping: viewers rotate the pixels by it, so dropping it
// would show a portrait photo on its side.
struct Orientation {
  bool big_endian;
  std::uint16_t value;  // 2..8; 1 (as stored) and out-of-range values are not kept
};

// The IFD0 Orientation tag (0x0112) of a TIFF structure ("II*\0" or "MM\0*", u32 offset
// of IFD0, IFD0: u16 count, 12-byte entries {u16 tag, u16 type, u32 count, 4-byte value}).
// Only IFD0 is read; entries cut off by the end are ignored.  nullopt when there is no
// usable Orientation.
std::optional<Orientation> exif_orientation(std::string_view tiff) {
  if (tiff.size() < 8) return std::nullopt;
  bool big;
  if (starts_with(tiff, std::string_view("MM\0*", 4))) {
    big = true;
  } else if (starts_with(tiff, std::string_view("II*\0", 4))) {
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

// Some writers put JPEG's "Exif\0\0" in front of the TIFF structure in PNG and WebP too,
// and some readers (ImageMagick among them) only understand it that way.  The minimal
// block keeps the prefix if the original had one, so every reader sees the orientation
// exactly as it did before.
constexpr std::string_view kExifPrefix("Exif\0\0", 6);

std::string_view exif_prefix(std::string_view exif) {
  return starts_with(exif, kExifPrefix) ? kExifPrefix : std::string_view();
}

// A TIFF structure with only IFD0 Orientation: header (same byte order as the original),
// one entry {0x0112, SHORT, 1, value}, next-IFD offset 0.  26 bytes.
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
  u16(0);       // rest of the 4-byte value field
  u32(0);       // no IFD1 (and so no thumbnail)
  return t;
}

// --- JPEG -----------------------------------------------------------------------------------

// A JPEG file (ITU T.81 B.1.1) is a sequence of marker segments: 0xFF, any number of 0xFF
// fill bytes, the marker, then for all but the standalone markers (TEM, RST0..7, SOI,
// EOI) a u16be length that counts itself.  Each SOS segment is followed by entropy-coded
// data, and a progressive file has several scans with more tables (DHT, DQT, DRI, ...)
// between them, up to EOI.
//
// APPn segments carry no image data; in the header (before the first SOS) only three of
// them change how the pixels are decoded or coloured, so those are kept and every other
// one is dropped.  From the first scan on, decoders have already settled colour space,
// colour transform, ICC profile and orientation (libjpeg reads them in jpeg_read_header;
// browsers take the EXIF orientation from there too, while ImageMagick would honour one
// met later), so every APPn there is dropped, the kept kinds included: between scans they
// can only carry metadata.  COM goes everywhere.  Every other segment, all entropy-coded
// data and EOI are copied byte for byte.
//
// Decoders stop at EOI, so whatever follows it is dropped: the secondary images of
// Multi-Picture Format files (each with its own EXIF), or anything else appended.
//
// A file that stops making sense once its first scan has begun (cut inside a segment,
// bytes that are not a marker where one belongs, a second SOI, ...) ends there: what was
// kept up to that point stays, its image data byte for byte, and the rest is dropped,
// because it could hold metadata we cannot see.  A file cut inside entropy-coded data,
// the usual truncation, keeps all of it.  libjpeg skips junk bytes to the next marker (with
// a warning) and may decode scans that this drops; no encoder writes such files, and the
// upload path refuses JPEGs that libjpeg warns about, except for junk right before EOI
// (which here costs the EOI; every scan is complete).  Before the first scan nothing is
// image data yet, and the input comes back unchanged.

enum class JpegAction { keep, drop, exif, jfif };

bool app_or_com(Byte marker) { return (marker >= 0xE0 && marker <= 0xEF) || marker == 0xFE; }

bool rst(Byte marker) { return marker >= 0xD0 && marker <= 0xD7; }

JpegAction classify(Byte marker, std::string_view payload) {
  switch (marker) {
    case 0xE0:  // JFIF: colour space (YCbCr) and pixel density
      return starts_with(payload, std::string_view("JFIF\0", 5)) ? JpegAction::jfif
                                                                 : JpegAction::drop;
    case 0xE1:  // EXIF, XMP, extended XMP, anything else: all metadata
      return starts_with(payload, kExifPrefix) ? JpegAction::exif : JpegAction::drop;
    case 0xE2:  // ICC profile (colour) is kept; MPF, FlashPix and others are not
      return starts_with(payload, std::string_view("ICC_PROFILE\0", 12)) ? JpegAction::keep
                                                                         : JpegAction::drop;
    case 0xEE:  // Adobe: the colour transform flag (YCbCr, YCCK or none) changes decoding
      return starts_with(payload, "Adobe") ? JpegAction::keep : JpegAction::drop;
    default:  // APP3..APP13 (APP13: Photoshop IRB / IPTC), APP15, COM, or not metadata
      return app_or_com(marker) ? JpegAction::drop : JpegAction::keep;
  }
}

// The end of the entropy-coded data that starts at `pos` (T.81 B.1.1.5): 0xFF 0x00 is a
// stuffed 0xFF data byte and RST0..7 separate restart intervals, so both belong to it;
// any other marker ends it.  Returns the offset of that marker's first 0xFF (its fill
// bytes go with it), or the size of `in` when the data runs to the end.  Junk that a
// writer left between the end of a scan and the next marker cannot be told from the data
// without decoding, so it is copied with it (libjpeg skips it with a warning).
std::size_t entropy_data_end(std::string_view in, std::size_t pos) {
  for (;;) {
    const std::size_t ff = in.find('\xFF', pos);
    if (ff == std::string_view::npos) return in.size();
    std::size_t next = ff + 1;
    while (next < in.size() && at(in, next) == 0xFF) ++next;
    if (next >= in.size()) return in.size();  // cut inside a run of 0xFF: still data
    const Byte b = at(in, next);
    if (b != 0x00 && !rst(b)) return ff;
    pos = next + 1;
  }
}

std::optional<std::string> strip_jpeg(std::string_view in) {
  if (in.size() < 2 || at(in, 0) != 0xFF || at(in, 1) != 0xD8) return std::nullopt;
  std::string out;
  out.reserve(in.size());
  out.append(in.substr(0, 2));
  bool seen_exif = false;  // only the first EXIF segment decides the orientation
  bool in_scans = false;   // a whole SOS segment has been read: image data has begun
  // Where the structure stops making sense (see above): before the first scan the input
  // is returned unchanged, from it on the image ends here.
  const auto not_understood = [&]() -> std::optional<std::string> {
    if (!in_scans) return std::nullopt;
    return std::move(out);
  };
  std::size_t pos = 2;
  for (;;) {
    const std::size_t start = pos;  // the first 0xFF: kept segments keep their fill bytes
    if (in_scans && pos == in.size()) return out;  // no EOI: the file just ends
    if (pos >= in.size() || at(in, pos) != 0xFF) return not_understood();
    while (pos < in.size() && at(in, pos) == 0xFF) ++pos;
    if (pos >= in.size()) return not_understood();
    const Byte marker = at(in, pos++);
    if (marker == 0x01 || rst(marker)) {  // TEM, RSTn: no length
      out.append(in.substr(start, pos - start));
      continue;
    }
    if (marker == 0xD9 && in_scans) {  // EOI: what follows is not part of this image
      out.append(in.substr(start, pos - start));
      return out;
    }
    // 0xFF00 is stuffing inside entropy-coded data; SOI again or EOI before any scan
    // means this is not a single image we understand.
    if (marker == 0x00 || marker == 0xD8 || marker == 0xD9) return not_understood();
    if (in.size() - pos < 2) return not_understood();
    const std::size_t length = be16(in, pos);
    if (length < 2 || in.size() - pos < length) return not_understood();
    const std::string_view segment = in.substr(start, pos + length - start);
    const std::string_view payload = in.substr(pos + 2, length - 2);
    pos += length;

    if (marker == 0xDA) {  // SOS, then its entropy-coded data
      in_scans = true;
      const std::size_t end = entropy_data_end(in, pos);
      out.append(segment);
      out.append(in.substr(pos, end - pos));
      pos = end;
      continue;
    }
    switch (in_scans && app_or_com(marker) ? JpegAction::drop : classify(marker, payload)) {
      case JpegAction::keep:
        out.append(segment);
        break;
      case JpegAction::drop:
        break;
      case JpegAction::jfif:
        // "JFIF\0", version(2), units, x/y density(2+2), thumbnail width, height, then
        // 3*w*h bytes of RGB thumbnail.  A thumbnail can show what the main image was
        // cropped from, so it goes; the 14 bytes that matter for decoding stay.
        if (payload.size() >= 14 && (at(payload, 12) != 0 || at(payload, 13) != 0)) {
          out += "\xFF\xE0";
          put_be16(out, 2 + 14);
          out.append(payload.substr(0, 12));
          out.append(2, '\0');
        } else {
          out.append(segment);
        }
        break;
      case JpegAction::exif:
        if (seen_exif) break;
        seen_exif = true;
        if (const auto o = exif_orientation(payload.substr(kExifPrefix.size()))) {
          const std::string tiff = minimal_exif(*o);
          out += "\xFF\xE1";
          put_be16(out, static_cast<std::uint32_t>(2 + kExifPrefix.size() + tiff.size()));
          out += kExifPrefix;
          out += tiff;
        }
        break;
    }
  }
}

// --- PNG ------------------------------------------------------------------------------------

// Chunks (PNG spec 5.3): u32be length (< 2^31), 4-letter type, data, CRC-32 over type and
// data.  A lower-case first letter marks an ancillary chunk.  Ancillary chunks are kept
// only if they change what is displayed (is_png_rendering_chunk, shared with the bytes
// handed to the decoder).
constexpr std::string_view kPngSignature("\x89PNG\r\n\x1a\n", 8);

bool ascii_letter(Byte c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); }

// Reflected CRC-32 (polynomial 0xEDB88320), as PNG requires; bitwise, because it only
// ever runs over the 30 bytes of the one chunk this file writes.
std::uint32_t crc32(std::string_view data) {
  std::uint32_t crc = 0xFFFFFFFF;
  for (const char ch : data) {
    crc ^= static_cast<Byte>(ch);
    for (int bit = 0; bit < 8; ++bit) crc = (crc >> 1) ^ (0xEDB88320 & (0 - (crc & 1)));
  }
  return crc ^ 0xFFFFFFFF;
}

std::optional<std::string> strip_png(std::string_view in) {
  if (!starts_with(in, kPngSignature)) return std::nullopt;
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
        put_be32(out, crc32(body));
      }
    } else if ((at(type, 0) & 0x20) == 0 || is_png_rendering_chunk(type)) {
      out.append(chunk);  // critical (even unknown ones) or rendering: copied with its CRC
    }
  }
  return out;
}

// --- WebP -----------------------------------------------------------------------------------

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

std::optional<std::string> strip_webp(std::string_view in) {
  if (in.size() < 12 || !starts_with(in, "RIFF") || in.substr(8, 4) != "WEBP")
    return std::nullopt;
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

// --- GIF ------------------------------------------------------------------------------------

// GIF89a: header "GIF87a"/"GIF89a", logical screen descriptor (7 bytes; its packed byte
// announces a global colour table of 3 * 2^(n+1) bytes), then blocks until the trailer
// 0x3B: image (0x2C, 9-byte descriptor, optional local colour table, LZW minimum code
// size, data sub-blocks) or extension (0x21, label, data sub-blocks).  Sub-blocks are a
// size byte and that many bytes, ended by a size of 0.  The XMP application extension
// stores raw XMP with a "magic trailer" built so that this same walk lands on its end.

// Advances `pos` past a sequence of data sub-blocks and its terminator.
bool skip_sub_blocks(std::string_view in, std::size_t& pos) {
  for (;;) {
    if (pos >= in.size()) return false;
    const std::size_t size = at(in, pos++);
    if (size == 0) return true;
    if (in.size() - pos < size) return false;
    pos += size;
  }
}

// `blocks`: the extension's sub-blocks, right after its label.
bool keep_gif_extension(Byte label, std::string_view blocks) {
  if (label == 0xFE) return false;  // Comment Extension
  if (label != 0xFF) return true;   // Graphic Control, Plain Text (drawn text), others
  if (blocks.size() < 12 || at(blocks, 0) != 11) return false;
  const std::string_view app = blocks.substr(1, 11);  // identifier and authentication code
  return app == "NETSCAPE2.0" || app == "ANIMEXTS1.0" ||  // loop count
         app == "ICCRGBG1012";                            // ICC profile (colour)
}

std::size_t colour_table_size(Byte packed) {
  return (packed & 0x80) != 0 ? std::size_t{3} << ((packed & 0x07) + 1) : 0;
}

std::optional<std::string> strip_gif(std::string_view in) {
  if (in.size() < 13 || (!starts_with(in, "GIF87a") && !starts_with(in, "GIF89a")))
    return std::nullopt;
  const std::size_t table = colour_table_size(at(in, 10));
  if (in.size() - 13 < table) return std::nullopt;
  std::size_t pos = 13 + table;
  std::string out;
  out.reserve(in.size());
  out.append(in.substr(0, pos));
  while (pos < in.size()) {  // a file that ends after a whole block (no trailer) is fine
    const std::size_t start = pos;
    switch (at(in, pos)) {
      case 0x3B:  // trailer
        out.append(in.substr(pos));
        return out;
      case 0x2C: {  // image
        if (in.size() - pos < 10) return std::nullopt;
        const std::size_t local_table = colour_table_size(at(in, pos + 9));
        pos += 10;
        if (in.size() - pos < local_table + 1) return std::nullopt;
        pos += local_table + 1;  // and the LZW minimum code size
        if (!skip_sub_blocks(in, pos)) return std::nullopt;
        out.append(in.substr(start, pos - start));
        break;
      }
      case 0x21: {  // extension
        if (in.size() - pos < 2) return std::nullopt;
        const Byte label = at(in, pos + 1);
        pos += 2;
        const std::size_t blocks = pos;
        if (!skip_sub_blocks(in, pos)) return std::nullopt;
        if (keep_gif_extension(label, in.substr(blocks, pos - blocks)))
          out.append(in.substr(start, pos - start));
        break;
      }
      default:
        return std::nullopt;
    }
  }
  return out;
}

}  // namespace

std::string strip_metadata(std::string_view bytes, Format format) {
  std::optional<std::string> stripped;
  switch (format) {
    case Format::jpeg: stripped = strip_jpeg(bytes); break;
    case Format::png: stripped = strip_png(bytes); break;
    case Format::gif: stripped = strip_gif(bytes); break;
    case Format::webp: stripped = strip_webp(bytes); break;
  }
  return stripped ? std::move(*stripped) : std::string(bytes);
}

}  // namespace imghost::image
