#include "image/strip/strip_formats.hpp"

#include "base/binary.hpp"
#include "image/strip/exif.hpp"

namespace imghost::image::strip {
namespace {

using Byte = unsigned char;
using binary::at;
using binary::be16;
using binary::put_be16;

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
      return payload.starts_with(std::string_view("JFIF\0", 5)) ? JpegAction::jfif : JpegAction::drop;
    case 0xE1:  // EXIF, XMP, extended XMP, anything else: all metadata
      return payload.starts_with(kExifPrefix) ? JpegAction::exif : JpegAction::drop;
    case 0xE2:  // ICC profile (colour) is kept; MPF, FlashPix and others are not
      return payload.starts_with(std::string_view("ICC_PROFILE\0", 12)) ? JpegAction::keep : JpegAction::drop;
    case 0xEE:  // Adobe: the colour transform flag (YCbCr, YCCK or none) changes decoding
      return payload.starts_with("Adobe") ? JpegAction::keep : JpegAction::drop;
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

}  // namespace

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
    const std::size_t start = pos;                 // the first 0xFF: kept segments keep their fill bytes
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
      case JpegAction::keep: out.append(segment); break;
      case JpegAction::drop: break;
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

}  // namespace imghost::image::strip
