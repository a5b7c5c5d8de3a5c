// image::strip_metadata, table-driven.
//
// Every case starts from a clean file that Magick++ encodes from generated pixels (or, for
// JPEG restart markers, one made by hand), splices metadata into it by hand (EXIF with GPS,
// Make, Model and Orientation; XMP; comments; text chunks; ...) and states the exact bytes
// that must come out, built independently of the code under test.  Each case then also
// checks that no secret survives, that the compressed image data is still there, that
// ImageMagick decodes the same pixels from input and output and sees the same orientation
// in both, and reads the orientation back from the output's EXIF block.
#include "image/strip_metadata.hpp"

#include <array>
#include <boost/test/unit_test.hpp>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "domain/image_format.hpp"
#include "image/magick.hpp"

namespace img = imghost::image;
using img::Format;
using namespace std::string_literals;
using namespace std::string_view_literals;

namespace {

// --- bytes ----------------------------------------------------------------------------------

std::string u16(bool big_endian, std::uint32_t v) {
  const char hi = static_cast<char>(v >> 8 & 0xFF), lo = static_cast<char>(v & 0xFF);
  return big_endian ? std::string{hi, lo} : std::string{lo, hi};
}
std::string u32(bool big_endian, std::uint32_t v) {
  return big_endian ? u16(true, v >> 16) + u16(true, v & 0xFFFF) : u16(false, v & 0xFFFF) + u16(false, v >> 16);
}
std::string be16(std::uint32_t v) { return u16(true, v); }
std::string be32(std::uint32_t v) { return u32(true, v); }
std::string le32(std::uint32_t v) { return u32(false, v); }
std::string le24(std::uint32_t v) { return le32(v).substr(0, 3); }

// Table-driven CRC-32 (the code under test never computes one for chunks it copies).
std::uint32_t crc32(std::string_view data) {
  static const auto table = [] {
    std::array<std::uint32_t, 256> t{};
    for (std::uint32_t n = 0; n < 256; ++n) {
      std::uint32_t c = n;
      for (int k = 0; k < 8; ++k) c = (c & 1) != 0 ? 0xEDB88320 ^ (c >> 1) : c >> 1;
      t[n] = c;
    }
    return t;
  }();
  std::uint32_t c = 0xFFFFFFFF;
  for (const char ch : data) c = table[(c ^ static_cast<unsigned char>(ch)) & 0xFF] ^ (c >> 8);
  return c ^ 0xFFFFFFFF;
}

// A zlib stream with one stored (uncompressed) block, for zTXt and iTXt.
std::string zlib_stored(std::string_view data) {
  std::uint32_t a = 1, b = 0;
  for (const char ch : data) {
    a = (a + static_cast<unsigned char>(ch)) % 65521;
    b = (b + a) % 65521;
  }
  const auto n = static_cast<std::uint32_t>(data.size());
  return "\x78\x01\x01"s + u16(false, n) + u16(false, ~n & 0xFFFF) + std::string(data) + be32(b << 16 | a);
}

bool contains(std::string_view haystack, std::string_view needle) {
  return haystack.find(needle) != std::string_view::npos;
}

// --- EXIF -----------------------------------------------------------------------------------

struct IfdEntry {
  std::uint16_t tag;
  std::uint16_t type;
  std::uint32_t count;
  std::string value;  // in the file's byte order; moved to the data area if over 4 bytes
};

IfdEntry ascii(std::uint16_t tag, std::string_view text) {
  return {tag, 2, static_cast<std::uint32_t>(text.size() + 1), std::string(text) + '\0'};
}
IfdEntry short_value(bool be, std::uint16_t tag, std::uint16_t v) { return {tag, 3, 1, u16(be, v) + "\0\0"s}; }

// A TIFF structure: header, IFD0, then (if `gps` is not empty) a GPS IFD pointed to by
// IFD0's GPSInfo tag (0x8825), then the data area.  Entries must come sorted by tag.
std::string tiff(bool be, std::vector<IfdEntry> ifd0, const std::vector<IfdEntry>& gps) {
  const auto ifd_bytes = [](std::size_t n) { return static_cast<std::uint32_t>(2 + 12 * n + 4); };
  const std::uint32_t gps_offset = 8 + ifd_bytes(ifd0.size() + (gps.empty() ? 0 : 1));
  if (!gps.empty()) ifd0.push_back({0x8825, 4, 1, u32(be, gps_offset)});
  const std::uint32_t data_offset = gps_offset + (gps.empty() ? 0 : ifd_bytes(gps.size()));
  std::string data;
  const auto ifd = [&](const std::vector<IfdEntry>& entries) {
    std::string out = u16(be, static_cast<std::uint32_t>(entries.size()));
    for (const IfdEntry& e : entries) {
      out += u16(be, e.tag) + u16(be, e.type) + u32(be, e.count);
      if (e.value.size() <= 4) {
        out += e.value + std::string(4 - e.value.size(), '\0');
      } else {
        out += u32(be, data_offset + static_cast<std::uint32_t>(data.size()));
        data += e.value;
        if (data.size() % 2 != 0) data += '\0';
      }
    }
    return out + u32(be, 0);
  };
  std::string out = (be ? "MM\0*"s : "II*\0"s) + u32(be, 8) + ifd(ifd0);
  if (!gps.empty()) out += ifd(gps);
  return out + data;
}

// A camera's EXIF: Make, Model, Orientation (0 = none) and a GPS IFD with a position.
std::string camera_exif(bool be, std::uint16_t orientation) {
  std::vector<IfdEntry> ifd0 = {ascii(0x010F, "SecretCam"), ascii(0x0110, "Model-X9")};
  if (orientation != 0) ifd0.push_back(short_value(be, 0x0112, orientation));
  const std::vector<IfdEntry> gps = {
      {0x0000, 1, 4, "\x02\x03\x00\x00"s},  // GPSVersionID
      ascii(0x0001, "N"),                   // GPSLatitudeRef
      {0x0002, 5, 3,
       u32(be, 52) + u32(be, 1) + u32(be, 31) + u32(be, 1) +  // GPSLatitude
           u32(be, 1234) + u32(be, 100)},
      ascii(0x0012, "GPS-DATUM-SECRET"),  // GPSMapDatum
  };
  return tiff(be, ifd0, gps);
}

// What must be left: IFD0 with the Orientation only, no next IFD.
std::string minimal_exif(bool be, std::uint16_t orientation) {
  return tiff(be, {short_value(be, 0x0112, orientation)}, {});
}

const std::string kXmp =
    "<?xpacket begin=\"\xEF\xBB\xBF\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>"
    "<x:xmpmeta xmlns:x=\"adobe:ns:meta/\"><rdf:RDF "
    "xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\"><rdf:Description "
    "xmlns:exif=\"http://ns.adobe.com/exif/1.0/\" exif:GPSLatitude=\"52,31.0N\" "
    "exif:Make=\"SecretCam\"/></rdf:RDF></x:xmpmeta><?xpacket end=\"w\"?>";

// Strings that sit only in metadata; none may survive.
const std::vector<std::string> kSecrets = {
    "SecretCam", "Model-X9", "GPS-DATUM-SECRET", "xmpmeta", "comment-secret", "iptc-secret", "text-secret",
};

// --- JPEG -----------------------------------------------------------------------------------

std::string segment(unsigned char marker, std::string_view payload) {
  return "\xFF"s + static_cast<char>(marker) + be16(static_cast<std::uint32_t>(payload.size() + 2)) +
         std::string(payload);
}
std::string app1_exif(const std::string& tiff_bytes) { return segment(0xE1, "Exif\0\0"s + tiff_bytes); }

const std::string kJpegXmp = segment(0xE1, "http://ns.adobe.com/xap/1.0/\0"s + kXmp);
const std::string kJpegExtendedXmp =
    segment(0xE1, "http://ns.adobe.com/xmp/extension/\0"s + std::string(32, 'A') + be32(7) + be32(0) + "xmpmeta");
const std::string kJpegComment = segment(0xFE, "comment-secret");
const std::string kJpegIptc = segment(0xED, "Photoshop 3.0\0008BIM\x04\x04\0\0\0\0\0\x0Fiptc-secret"s);
const std::string kJpegIcc = segment(0xE2, "ICC_PROFILE\0\x01\x01"s + std::string(128, '\0'));
const std::string kJpegMpf = segment(0xE2, "MPF\0"s + tiff(true, {}, {}));
const std::string kJpegAdobe = segment(0xEE, "Adobe\0\x64\0\0\0\0\x01"s);  // transform 1: YCbCr
const std::string kJpegApp15 = segment(0xEF, "iptc-secret");
const std::string kJpegJfxx = segment(0xE0, "JFXX\0\x13"s + std::string(16, '\x7F'));

// The file with `segments` inserted after its JFIF APP0 (SOI, APP0, ...).
std::string jpeg_with(const std::string& jpeg, const std::string& segments) {
  const std::size_t after_app0 = 4 + (static_cast<unsigned char>(jpeg[4]) << 8 | static_cast<unsigned char>(jpeg[5]));
  return jpeg.substr(0, after_app0) + segments + jpeg.substr(after_app0);
}

// The file with its APP0 replaced by one that carries a 2x1 RGB thumbnail.
std::string jpeg_with_jfif_thumbnail(const std::string& jpeg) {
  const std::string payload = jpeg.substr(6, 12) + "\x02\x01"s + "\xFF\x00\x00\x00\xFF\x00"s;
  return jpeg.substr(0, 2) + segment(0xE0, payload) + jpeg.substr(20);
}

// The bytes from the first SOS on (Magick++'s files have no 0xFF 0xDA before it).
std::string scan_data(std::string_view jpeg) { return std::string(jpeg.substr(jpeg.find("\xFF\xDA"))); }

// The offset of the file's `n`th SOS marker (0: the first).  As for scan_data(), 0xFF 0xDA
// occurs nowhere else in these files: table bytes are never 0xFF, entropy-coded data has
// 0xFF only as 0xFF00 or before a marker.
std::size_t sos_offset(std::string_view jpeg, std::size_t n) {
  std::size_t at = jpeg.find("\xFF\xDA");
  for (; n > 0 && at != std::string_view::npos; --n) at = jpeg.find("\xFF\xDA", at + 2);
  BOOST_TEST_REQUIRE(at != std::string_view::npos);
  return at;
}

// Where the entropy-coded data after the SOS at `sos` ends: at the first 0xFF that is not
// stuffing (Magick++ writes no restart markers).
std::size_t scan_end(std::string_view jpeg, std::size_t sos) {
  std::size_t at =
      sos + 2 + (static_cast<unsigned char>(jpeg[sos + 2]) << 8 | static_cast<unsigned char>(jpeg[sos + 3]));
  while ((at = jpeg.find('\xFF', at)) != std::string_view::npos && jpeg[at + 1] == '\0') at += 2;
  BOOST_TEST_REQUIRE(at != std::string_view::npos);
  return at;
}

std::string insert_at(const std::string& s, std::size_t at, const std::string& what) {
  return s.substr(0, at) + what + s.substr(at);
}

std::string without_eoi(const std::string& jpeg) {
  BOOST_TEST_REQUIRE(jpeg.ends_with("\xFF\xD9"sv));
  return jpeg.substr(0, jpeg.size() - 2);
}

// A 128x8 greyscale baseline JPEG made by hand, for what Magick++ does not write: a
// restart interval (DRI) of 4 MCUs, so RST0..RST2 sit inside the entropy-coded data, and a
// stuffed 0xFF00.  Quantisation is all 1s; the DC table codes difference categories 0
// ("0") and 8 ("10"), the AC table only EOB ("0"); each interval is padded with 1-bits.
// The 16 blocks are grey 128 or 128 +- 32 (a DC of +-255).
const std::string kRestartJpeg = "\xFF\xD8"s + segment(0xE0, "JFIF\0\x01\x01\0\0\x01\0\x01\0\0"s) +
                                 segment(0xDB, "\0"s + std::string(64, '\x01')) +
                                 segment(0xC0, "\x08\0\x08\0\x80\x01\x01\x11\0"s) +  // 8 bits, 8 x 128, one component
                                 segment(0xC4, "\x00\x01\x01"s + std::string(14, '\0') + "\x00\x08"s) +  // DC table 0
                                 segment(0xC4, "\x10\x01"s + std::string(15, '\0') + "\x00"s) +          // AC table 0
                                 segment(0xDD, "\0\x04"s) + segment(0xDA, "\x01\x01\x00\x00\x3F\x00"s) +
                                 "\x02\xFF\x00\x7F"s          // DCs 0, 0, 0, 255: "00" "00" "00" "10" "11111111" "0"
                                 "\xFF\xD0\x00"s              // RST0, DCs 0, 0, 0, 0
                                 "\xFF\xD1\x80\x05\xFE\x3F"s  // RST1, DCs -255, -255, 0, 0
                                 "\xFF\xD2\xBF\xC0\x7F"s      // RST2, DCs 255, 255, 255, 255
                                 "\xFF\xD9"s;

// --- PNG ------------------------------------------------------------------------------------

std::string chunk(std::string_view type, std::string_view data) {
  const std::string body = std::string(type) + std::string(data);
  return be32(static_cast<std::uint32_t>(data.size())) + body + be32(crc32(body));
}

const std::string kPngText = chunk("tEXt", "Comment\0text-secret"s);
const std::string kPngZtxt = chunk("zTXt", "Author\0\0"s + zlib_stored("text-secret"));
const std::string kPngItxt = chunk("iTXt", "XML:com.adobe.xmp\0\0\0\0\0"s + kXmp);  // uncompressed, no language
const std::string kPngCompressedItxt = chunk("iTXt", "Description\0\x01\0en\0\0"s + zlib_stored("text-secret"));
const std::string kPngTime = chunk("tIME", "\x07\xE9\x05\x11\x0C\x22\x38"s);
const std::string kPngGamma = chunk("gAMA", be32(45455));
const std::string kPngChrm = chunk("cHRM", be32(31270) + be32(32900) + be32(64000) + be32(33000) + be32(30000) +
                                               be32(60000) + be32(15000) + be32(6000));
const std::string kPngSrgb = chunk("sRGB", "\0"s);
const std::string kPngPhys = chunk("pHYs", be32(2835) + be32(2835) + "\x01");
const std::string kPngPrivate = chunk("prVt", "text-secret");
const std::string kPngC2pa = chunk("caBX", "text-secret");

// PNG offsets: signature (8), IHDR chunk (25).
std::string png_after_ihdr(const std::string& png, const std::string& chunks) {
  return png.substr(0, 33) + chunks + png.substr(33);
}
std::string png_before_iend(const std::string& png, const std::string& chunks) {
  return png.substr(0, png.size() - 12) + chunks + png.substr(png.size() - 12);
}

// The data of the file's one IDAT chunk.
std::string png_idat_data(const std::string& png) {
  const std::size_t at = png.find("IDAT") - 4;
  const std::uint32_t length = static_cast<std::uint32_t>(
      static_cast<unsigned char>(png[at]) << 24 | static_cast<unsigned char>(png[at + 1]) << 16 |
      static_cast<unsigned char>(png[at + 2]) << 8 | static_cast<unsigned char>(png[at + 3]));
  return png.substr(at + 8, length);
}

// --- WebP -----------------------------------------------------------------------------------

std::string riff_chunk(std::string_view fourcc, std::string_view payload) {
  std::string out = std::string(fourcc) + le32(static_cast<std::uint32_t>(payload.size())) + std::string(payload);
  if (payload.size() % 2 != 0) out += '\0';
  return out;
}
std::string riff(const std::string& chunks) {
  return "RIFF" + le32(static_cast<std::uint32_t>(4 + chunks.size())) + "WEBP" + chunks;
}
// VP8X: flags (0x20 ICC, 0x10 alpha, 0x08 EXIF, 0x04 XMP, 0x02 animation), canvas size.
std::string vp8x(unsigned char flags, std::uint32_t width, std::uint32_t height) {
  return riff_chunk("VP8X", std::string{static_cast<char>(flags), 0, 0, 0} + le24(width - 1) + le24(height - 1));
}
// The image chunk (VP8 or VP8L) of a simple-format file.
std::string webp_image_chunk(const std::string& webp) { return webp.substr(12); }

// --- GIF ------------------------------------------------------------------------------------

std::string sub_blocks(std::string_view data) {
  std::string out;
  for (std::size_t i = 0; i < data.size(); i += 255) {
    const std::string_view block = data.substr(i, 255);
    out += static_cast<char>(block.size());
    out += block;
  }
  return out + '\0';
}
std::string gif_application(std::string_view id, std::string_view data) {
  return "\x21\xFF\x0B"s + std::string(id) + sub_blocks(data);
}

const std::string kGifComment = "\x21\xFE"s + sub_blocks("comment-secret");
// XMP in GIF: raw packet, then the 258-byte "magic trailer" that ends any sub-block walk.
const std::string kGifXmp = [] {
  std::string out = "\x21\xFF\x0BXMP DataXMP"s + kXmp + '\x01';
  for (int v = 0xFF; v >= 0; --v) out += static_cast<char>(v);
  return out + '\0';
}();
const std::string kGifIptc = gif_application("MGKIPTC0000", "iptc-secret");
const std::string kGifIcc = gif_application("ICCRGBG1012", std::string(128, '\0'));

// The offset of the first block: after the header, the logical screen descriptor and the
// global colour table.
std::size_t gif_first_block(const std::string& gif) {
  const auto packed = static_cast<unsigned char>(gif[10]);
  return 13 + ((packed & 0x80) != 0 ? std::size_t{3} << ((packed & 7) + 1) : 0);
}
std::string gif_after_screen(const std::string& gif, const std::string& blocks) {
  const std::size_t first = gif_first_block(gif);
  return gif.substr(0, first) + blocks + gif.substr(first);
}
// The offset of the first image descriptor (after any extensions).
std::size_t gif_first_image(const std::string& gif) {
  std::size_t pos = gif_first_block(gif);
  while (gif[pos] == '\x21') {
    pos += 2;
    while (gif[pos] != '\0') pos += 1 + static_cast<unsigned char>(gif[pos]);
    ++pos;
  }
  BOOST_TEST_REQUIRE(gif[pos] == '\x2C');
  return pos;
}
std::string gif_before_trailer(const std::string& gif, const std::string& blocks) {
  return gif.substr(0, gif.size() - 1) + blocks + gif.substr(gif.size() - 1);
}

// --- Magick++ -------------------------------------------------------------------------------

constexpr std::size_t kWidth = 16, kHeight = 12;

void init_magick() {
  static const bool once = [] {
    Magick::InitializeMagick(nullptr);
    return true;
  }();
  (void)once;
}

// A clean file (no profiles, no comments, no PNG date chunks) of generated pixels.
std::string encode(const char* coder, const char* prefix, unsigned seed,
                   const std::vector<std::pair<std::string, std::string>>& defines = {}, bool progressive = false,
                   std::size_t frames = 1) {
  init_magick();
  std::vector<Magick::Image> images;
  for (std::size_t f = 0; f < frames; ++f) {
    std::vector<unsigned char> pixels(kWidth * kHeight * 3);
    for (std::size_t i = 0; i < pixels.size(); ++i)
      pixels[i] = static_cast<unsigned char>((i * (7 + seed) + f * 40) % 251);
    Magick::Image image(kWidth, kHeight, "RGB", Magick::CharPixel, pixels.data());
    image.magick(coder);
    image.strip();
    image.quality(90);
    if (progressive) image.interlaceType(Magick::PlaneInterlace);
    for (const auto& [key, value] : defines) image.defineValue(prefix, key, value);
    image.animationDelay(10);
    images.push_back(image);
  }
  Magick::Blob blob;
  Magick::writeImages(images.begin(), images.end(), &blob, true);
  return std::string(static_cast<const char*>(blob.data()), blob.length());
}

std::string coder(Format format) {
  switch (format) {
    case Format::jpeg: return "JPEG";
    case Format::png: return "PNG";
    case Format::gif: return "GIF";
    case Format::webp: return "WEBP";
    case Format::mp4:
    case Format::webm: break;  // videos are not stripped here
  }
  return "";
}

std::vector<Magick::Image> decode(const std::string& bytes, Format format) {
  init_magick();
  std::vector<Magick::Image> frames;
  Magick::ReadOptions options;
  options.quiet(true);
  const Magick::Blob blob(bytes.data(), bytes.size());
  Magick::readImages(&frames, blob, options);
  for (const Magick::Image& frame : frames) BOOST_TEST_REQUIRE(frame.magick() == coder(format));
  return frames;
}

std::vector<std::string> signatures(const std::string& bytes, Format format) {
  std::vector<std::string> out;
  for (const Magick::Image& frame : decode(bytes, format)) out.push_back(frame.signature());
  return out;
}

// The orientation ImageMagick reads from a file's first frame; "not given" is top-left.
Magick::OrientationType shown_orientation(const std::string& bytes, Format format) {
  const Magick::OrientationType o = decode(bytes, format).front().orientation();
  return o == Magick::UndefinedOrientation ? Magick::TopLeftOrientation : o;
}

// --- reading the orientation back -----------------------------------------------------------

std::uint32_t read(std::string_view s, std::size_t at, std::size_t bytes, bool big_endian) {
  std::uint32_t v = 0;
  for (std::size_t i = 0; i < bytes; ++i)
    v = v << 8 | static_cast<unsigned char>(s.at(at + (big_endian ? i : bytes - 1 - i)));
  return v;
}

// The IFD0 Orientation of the file's EXIF block (APP1, eXIf or EXIF chunk); 0 if there is
// no such block.  Test-sized: finds the block by its name, trusts the offsets.
int orientation_of(const std::string& file, Format format) {
  std::string_view exif;
  if (format == Format::jpeg) {
    const std::size_t at = file.find("\xFF\xE1");
    if (at == std::string::npos) return 0;
    exif = std::string_view(file).substr(at + 4, read(file, at + 2, 2, true) - 2);
    BOOST_TEST_REQUIRE(exif.starts_with("Exif\0\0"sv));
  } else if (format == Format::png) {
    const std::size_t at = file.find("eXIf");
    if (at == std::string::npos) return 0;
    exif = std::string_view(file).substr(at + 4, read(file, at - 4, 4, true));
  } else if (format == Format::webp) {
    const std::size_t at = file.find("EXIF");
    if (at == std::string::npos) return 0;
    exif = std::string_view(file).substr(at + 8, read(file, at + 4, 4, false));
  } else {
    return 0;
  }
  if (exif.starts_with("Exif\0\0"sv)) exif.remove_prefix(6);
  const bool be = exif.starts_with("MM");
  const std::size_t ifd = read(exif, 4, 4, be);
  for (std::size_t i = 0, n = read(exif, ifd, 2, be); i < n; ++i) {
    const std::size_t entry = ifd + 2 + 12 * i;
    if (read(exif, entry, 2, be) == 0x0112) return static_cast<int>(read(exif, entry + 8, 2, be));
  }
  return 0;
}

// --- the cases ------------------------------------------------------------------------------

struct Case {
  std::string name;
  Format format;
  std::string input;
  std::string expected;    // the exact output
  std::string image_data;  // compressed image data the output must contain
  int orientation;         // read back from the output's EXIF; 0 = no EXIF block
};

struct Files {
  std::string jpeg = encode("JPEG", "jpeg", 1);
  std::string progressive_jpeg = encode("JPEG", "jpeg", 2, {}, true);
  std::string png = encode("PNG", "png", 3, {{"exclude-chunks", "date,time"}});
  std::string webp = encode("WEBP", "webp", 4);
  std::string lossless_webp = encode("WEBP", "webp", 5, {{"lossless", "true"}});
  std::string gif = encode("GIF", "gif", 6);
  std::string animated_gif = encode("GIF", "gif", 7, {}, false, 2);
};

const Files& files() {
  static const Files f;
  return f;
}

const std::vector<Case>& cases() {
  static const std::vector<Case> all = [] {
    const Files& f = files();
    const std::string& jpeg = f.jpeg;
    const std::string& pjpeg = f.progressive_jpeg;
    // Places in the progressive file: right after the first scan's entropy-coded data, the
    // third scan's SOS (after the tables that precede it), a cut in the middle of the third
    // scan's entropy-coded data, and the EOI.
    const std::size_t after_scan0 = scan_end(pjpeg, sos_offset(pjpeg, 0));
    const std::size_t sos2 = sos_offset(pjpeg, 2);
    const std::size_t scan2_data = sos2 + 2 + read(pjpeg, sos2 + 2, 2, true);
    const std::size_t cut_in_scan2 = (scan2_data + scan_end(pjpeg, sos2)) / 2;
    BOOST_TEST_REQUIRE(cut_in_scan2 > scan2_data);
    const std::size_t eoi = pjpeg.size() - 2;
    const std::string dnl = segment(0xDC, be16(kHeight));  // DNL: the number of lines
    const std::string jpeg_dnl = without_eoi(jpeg) + dnl + "\xFF\xD9"s;
    const std::string& png = f.png;
    const std::string vp8 = webp_image_chunk(f.webp);
    const std::string vp8l = webp_image_chunk(f.lossless_webp);
    const std::string fake_icc = std::string(128, '\0');
    // A two-frame APNG whose second frame repeats the first: acTL {frames 2, loop forever},
    // fcTL {sequence, width, height, x, y, delay 1/10 s, dispose none, blend source}.
    const std::string actl = chunk("acTL", be32(2) + be32(0));
    const auto fctl = [](std::uint32_t sequence) {
      return chunk("fcTL",
                   be32(sequence) + be32(kWidth) + be32(kHeight) + be32(0) + be32(0) + be16(1) + be16(10) + "\0\0"s);
    };
    const std::string fdat = chunk("fdAT", be32(2) + png_idat_data(png));
    return std::vector<Case>{
        // --- JPEG ---
        {"jpeg: EXIF with GPS, Make, Model goes, big-endian orientation 6 stays; XMP, "
         "extended XMP, COM, APP13 go",
         Format::jpeg,
         jpeg_with(jpeg, app1_exif(camera_exif(true, 6)) + kJpegXmp + kJpegExtendedXmp + kJpegComment + kJpegIptc),
         jpeg_with(jpeg, app1_exif(minimal_exif(true, 6))), scan_data(jpeg), 6},
        {"jpeg: progressive, little-endian orientation 8 keeps its byte order", Format::jpeg,
         jpeg_with(pjpeg, kJpegComment + app1_exif(camera_exif(false, 8)) + kJpegXmp),
         jpeg_with(pjpeg, app1_exif(minimal_exif(false, 8))), scan_data(pjpeg), 8},
        {"jpeg: EXIF with orientation 1 goes whole", Format::jpeg, jpeg_with(jpeg, app1_exif(camera_exif(true, 1))),
         jpeg, scan_data(jpeg), 0},
        {"jpeg: EXIF without orientation goes whole", Format::jpeg,
         jpeg_with(jpeg, app1_exif(camera_exif(false, 0)) + kJpegXmp), jpeg, scan_data(jpeg), 0},
        {"jpeg: only the first EXIF segment decides the orientation", Format::jpeg,
         jpeg_with(jpeg, app1_exif(camera_exif(true, 3)) + app1_exif(camera_exif(true, 6))),
         jpeg_with(jpeg, app1_exif(minimal_exif(true, 3))), scan_data(jpeg), 3},
        {"jpeg: ICC_PROFILE APP2 and Adobe APP14 stay; MPF APP2, APP15, JFXX APP0 go", Format::jpeg,
         jpeg_with(jpeg, kJpegIcc + kJpegMpf + kJpegAdobe + kJpegApp15 + kJpegJfxx),
         jpeg_with(jpeg, kJpegIcc + kJpegAdobe), scan_data(jpeg), 0},
        {"jpeg: fill bytes and standalone markers stay with kept segments, go with dropped ones", Format::jpeg,
         jpeg_with(jpeg, "\xFF\xFF"s + kJpegComment + "\xFF\xFF\xFF\x01"s + "\xFF\xD3"s + "\xFF"s + kJpegAdobe +
                             "\xFF\xFF"s + app1_exif(camera_exif(true, 6))),
         jpeg_with(jpeg, "\xFF\xFF\xFF\x01"s + "\xFF\xD3"s + "\xFF"s + kJpegAdobe + app1_exif(minimal_exif(true, 6))),
         scan_data(jpeg), 6},
        {"jpeg: a JFIF thumbnail goes, the JFIF header stays", Format::jpeg, jpeg_with_jfif_thumbnail(jpeg), jpeg,
         scan_data(jpeg), 0},
        {"jpeg: a clean file comes back byte for byte", Format::jpeg, pjpeg, pjpeg, scan_data(pjpeg), 0},

        // After the first SOS (inputs are spliced back to front, so that the offsets above
        // stay true).
        {"jpeg: progressive; EXIF (GPS, Make, Model) and COM right after the first scan, "
         "XMP and IPTC before the third, COM before EOI: all go, the image data stays",
         Format::jpeg,
         insert_at(insert_at(insert_at(pjpeg, eoi, kJpegComment), sos2, kJpegXmp + kJpegIptc), after_scan0,
                   app1_exif(camera_exif(true, 0)) + kJpegComment),
         pjpeg, scan_data(pjpeg), 0},
        {"jpeg: progressive; after the first scan the kinds kept in the header go too (ICC, "
         "Adobe, JFIF, EXIF): decoders read them from the header only",
         Format::jpeg,
         jpeg_with(insert_at(pjpeg, after_scan0,
                             kJpegIcc + kJpegAdobe + jpeg.substr(2, 18) +  // JFIF APP0
                                 app1_exif(camera_exif(false, 6))),
                   app1_exif(camera_exif(true, 6))),
         jpeg_with(pjpeg, app1_exif(minimal_exif(true, 6))), scan_data(pjpeg), 6},
        {"jpeg: MPF APP2 goes, and so does the second image after EOI, EXIF (GPS) and all", Format::jpeg,
         jpeg_with(jpeg, kJpegMpf) + jpeg_with(pjpeg, app1_exif(camera_exif(true, 6)) + kJpegXmp), jpeg,
         scan_data(jpeg), 0},
        {"jpeg: bytes after EOI that are no JPEG go", Format::jpeg, jpeg + "comment-secret\0\xFF\xE1\0"s + kJpegIptc,
         jpeg, scan_data(jpeg), 0},
        {"jpeg: RST markers and 0xFF00 stuffing are entropy-coded data; COM after the scan goes", Format::jpeg,
         without_eoi(kRestartJpeg) + kJpegComment + "\xFF\xD9"s + app1_exif(camera_exif(true, 6)), kRestartJpeg,
         scan_data(kRestartJpeg), 0},
        {"jpeg: DNL after the scan stays, COM on either side of it goes", Format::jpeg,
         without_eoi(jpeg) + kJpegComment + dnl + kJpegComment + "\xFF\xD9"s, jpeg_dnl, scan_data(jpeg_dnl), 0},
        {"jpeg: cut inside the third scan: the image data up to the cut stays byte for byte, "
         "the metadata before it goes",
         Format::jpeg,
         jpeg_with(
             insert_at(pjpeg.substr(0, cut_in_scan2), after_scan0, kJpegComment + app1_exif(camera_exif(false, 0))),
             app1_exif(camera_exif(true, 6))),
         jpeg_with(pjpeg.substr(0, cut_in_scan2), app1_exif(minimal_exif(true, 6))),
         scan_data(pjpeg.substr(0, cut_in_scan2)), 6},

        // --- PNG ---
        {"png: tEXt, zTXt, iTXt, tIME and eXIf go; orientation 6 stays in a minimal eXIf", Format::png,
         png_after_ihdr(png, kPngText + kPngZtxt + kPngItxt + kPngTime + chunk("eXIf", camera_exif(true, 6))),
         png_after_ihdr(png, chunk("eXIf", minimal_exif(true, 6))), png_idat_data(png), 6},
        {"png: an eXIf with a JPEG-style \"Exif\\0\\0\" prefix still gives its orientation", Format::png,
         png_after_ihdr(png, chunk("eXIf", "Exif\0\0"s + camera_exif(false, 5))),
         png_after_ihdr(png, chunk("eXIf", "Exif\0\0"s + minimal_exif(false, 5))), png_idat_data(png), 5},
        {"png: gAMA, cHRM, sRGB, pHYs stay; private and C2PA chunks go", Format::png,
         png_after_ihdr(png, kPngGamma + kPngPrivate + kPngChrm + kPngSrgb + kPngC2pa + kPngPhys +
                                 chunk("eXIf", camera_exif(true, 0))),
         png_after_ihdr(png, kPngGamma + kPngChrm + kPngSrgb + kPngPhys), png_idat_data(png), 0},
        {"png: APNG acTL, fcTL, fdAT stay; text after IDAT goes", Format::png,
         png_before_iend(png_after_ihdr(png, actl + fctl(0) + kPngText),
                         kPngCompressedItxt + fctl(1) + fdat + kPngTime),
         png_before_iend(png_after_ihdr(png, actl + fctl(0)), fctl(1) + fdat), png_idat_data(png), 0},
        {"png: a clean file comes back byte for byte", Format::png, png, png, png_idat_data(png), 0},

        // --- WebP ---
        {"webp: EXIF (GPS, Make, Model) and XMP go, orientation 6 stays; ICCP stays; VP8X "
         "flags and RIFF size follow",
         Format::webp,
         riff(vp8x(0x2C, kWidth, kHeight) + riff_chunk("ICCP", fake_icc) + vp8 +
              riff_chunk("EXIF", camera_exif(true, 6)) + riff_chunk("XMP ", kXmp)),
         riff(vp8x(0x28, kWidth, kHeight) + riff_chunk("ICCP", fake_icc) + vp8 +
              riff_chunk("EXIF", minimal_exif(true, 6))),
         vp8, 6},
        {"webp: lossless; odd-sized EXIF without orientation and XMP go with their padding, "
         "both flags cleared, an unknown chunk stays",
         Format::webp,
         riff(vp8x(0x0C, kWidth, kHeight) + vp8l + riff_chunk("EXIF", camera_exif(false, 0) + "x") +
              riff_chunk("XMP ", kXmp + "x") + riff_chunk("ABCD", "odd")),
         riff(vp8x(0x00, kWidth, kHeight) + vp8l + riff_chunk("ABCD", "odd")), vp8l, 0},
        {"webp: an EXIF chunk with a JPEG-style \"Exif\\0\\0\" prefix still gives its "
         "orientation",
         Format::webp,
         riff(vp8x(0x08, kWidth, kHeight) + vp8 + riff_chunk("EXIF", "Exif\0\0"s + camera_exif(false, 3))),
         riff(vp8x(0x08, kWidth, kHeight) + vp8 + riff_chunk("EXIF", "Exif\0\0"s + minimal_exif(false, 3))), vp8, 3},
        {"webp: a clean lossy file comes back byte for byte", Format::webp, f.webp, f.webp, vp8, 0},
        {"webp: a clean lossless file comes back byte for byte", Format::webp, f.lossless_webp, f.lossless_webp, vp8l,
         0},

        // --- GIF ---
        {"gif: comment, XMP and IPTC extensions go; NETSCAPE2.0 looping stays",
         Format::gif,
         gif_before_trailer(gif_after_screen(f.animated_gif, kGifComment + kGifXmp + kGifIptc), kGifComment),
         f.animated_gif,
         {},
         0},
        {"gif: the ICC profile extension stays",
         Format::gif,
         gif_after_screen(f.gif, kGifIcc + kGifComment),
         gif_after_screen(f.gif, kGifIcc),
         {},
         0},
        {"gif: a clean file comes back byte for byte", Format::gif, f.animated_gif, f.animated_gif, {}, 0},
    };
  }();
  return all;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(strip_metadata)

BOOST_AUTO_TEST_CASE(fixtures_are_clean_files_of_the_expected_shape) {
  const Files& f = files();
  BOOST_TEST(f.jpeg.substr(0, 11) == "\xFF\xD8\xFF\xE0\x00\x10JFIF\0"s);  // APP0 without thumbnail
  BOOST_TEST(f.png.substr(12, 4) == "IHDR");
  BOOST_TEST(f.png.substr(f.png.size() - 8, 4) == "IEND");
  BOOST_TEST(f.png.find("IDAT") == f.png.rfind("IDAT"));  // one IDAT
  BOOST_TEST(f.webp.substr(12, 4) == "VP8 ");
  BOOST_TEST(f.lossless_webp.substr(12, 4) == "VP8L");
  BOOST_TEST(contains(f.animated_gif, "NETSCAPE2.0"));
  BOOST_TEST(f.gif.back() == ';');
  // The hand-made JPEG decodes as designed: every restart interval and the stuffed 0xFF
  // count (block 3 is the DC of 255 that holds the 0xFF, blocks 8 and 9 follow RST1).
  BOOST_TEST(contains(scan_data(kRestartJpeg), "\xFF\x00"sv));
  Magick::Image restart = decode(kRestartJpeg, Format::jpeg).front();
  BOOST_TEST_REQUIRE(restart.columns() == 128);
  BOOST_TEST_REQUIRE(restart.rows() == 8);
  std::vector<unsigned char> row(128);  // (pixelColor() misreads grey, colormapped images)
  restart.write(0, 4, 128, 1, "R", Magick::CharPixel, row.data());
  const std::vector<int> expected = {128, 128, 128, 160, 128, 128, 128, 128, 96, 96, 128, 128, 160, 160, 160, 160};
  for (std::size_t block = 0; block < expected.size(); ++block)
    BOOST_TEST(int{row[block * 8 + 4]} == expected[block], "block " << block);
}

BOOST_AUTO_TEST_CASE(removes_metadata_and_keeps_pixels) {
  for (const Case& c : cases()) {
    BOOST_TEST_CONTEXT(c.name) {
      const std::string out = img::strip_metadata(c.input, c.format);
      BOOST_TEST((out == c.expected),
                 "output differs from the expected bytes (sizes " << out.size() << " and " << c.expected.size() << ")");
      for (const std::string& secret : kSecrets) BOOST_TEST(!contains(out, secret), secret);
      if (!c.image_data.empty()) BOOST_TEST(contains(out, c.image_data));
      BOOST_TEST(out.size() <= c.input.size() + 4);

      // The fixture is what it claims: ImageMagick reads it, pixels and all.
      const std::vector<std::string> before = signatures(c.input, c.format);
      const std::vector<std::string> after = signatures(out, c.format);
      BOOST_TEST(after == before);
      BOOST_TEST(orientation_of(out, c.format) == c.orientation);
      // Whatever ImageMagick made of the input's orientation, it makes of the output's.
      BOOST_TEST(shown_orientation(out, c.format) == shown_orientation(c.input, c.format));

      BOOST_TEST((img::strip_metadata(out, c.format) == out), "idempotent");
    }
  }
}

// From the first SOS on, the output is the image data of the clean file the case was
// made from: every scan, table, RST and DNL, byte for byte, and nothing else.
BOOST_AUTO_TEST_CASE(jpeg_scan_data_is_copied_byte_for_byte) {
  for (const Case& c : cases()) {
    if (c.format != Format::jpeg) continue;
    BOOST_TEST_CONTEXT(c.name) {
      const std::string out = img::strip_metadata(c.input, c.format);
      BOOST_TEST((scan_data(out) == c.image_data), "image data differs");
    }
  }
}

// An EXIF block between the scans goes whole, orientation and all.  ImageMagick reads EXIF
// wherever libjpeg meets it, so it turns the input but not the output; browsers read the
// orientation from the header only and show both the same, as the stored file must be.
BOOST_AUTO_TEST_CASE(jpeg_orientation_after_the_first_scan_is_not_kept) {
  const std::string& pjpeg = files().progressive_jpeg;
  const std::string input = insert_at(pjpeg, scan_end(pjpeg, sos_offset(pjpeg, 0)), app1_exif(camera_exif(true, 6)));
  const std::string out = img::strip_metadata(input, Format::jpeg);
  BOOST_TEST((out == pjpeg), "output is the clean file");
  BOOST_TEST(shown_orientation(input, Format::jpeg) == Magick::RightTopOrientation);
  BOOST_TEST(shown_orientation(out, Format::jpeg) == Magick::TopLeftOrientation);
  BOOST_TEST(signatures(out, Format::jpeg) == signatures(input, Format::jpeg));
}

// Once the first SOS segment has been read, a structure that stops making sense ends the
// output: what precedes it stays byte for byte, what follows goes even though a lenient
// decoder might skip to a later marker (so no pixels are compared here; the upload path
// refuses such files anyway).  The output is a clean prefix of the file.
BOOST_AUTO_TEST_CASE(jpeg_after_the_first_scan_the_output_ends_where_the_structure_stops) {
  const std::string& pjpeg = files().progressive_jpeg;
  const std::size_t after_scan0 = scan_end(pjpeg, sos_offset(pjpeg, 0));
  const std::size_t sos1 = sos_offset(pjpeg, 1);
  const std::string scan0 = pjpeg.substr(0, after_scan0);
  const std::string exif = app1_exif(camera_exif(true, 6));
  const auto after_scan = [&](const std::string& bytes) { return insert_at(pjpeg, after_scan0, bytes); };
  const std::string jpeg_dnl = without_eoi(files().jpeg) + segment(0xDC, be16(kHeight));

  struct Stop {
    std::string name;
    std::string input;
    std::string expected;
  };
  const std::vector<Stop> stops = {
      {"cut inside a COM", scan0 + kJpegComment.substr(0, 9), scan0},
      {"cut inside a segment length", scan0 + "\xFF\xC4\x01"s, scan0},
      {"cut inside a later SOS segment", pjpeg.substr(0, sos1 + 5), pjpeg.substr(0, sos1)},
      {"bytes that are no marker after a segment", after_scan(kJpegComment + "iptc-secret" + exif), scan0},
      {"0xFF00 where a marker belongs", after_scan(kJpegComment + "\xFF\x00"s + exif), scan0},
      {"a second SOI", after_scan("\xFF\xD8"s + exif), scan0},
      {"segment length 1", after_scan("\xFF\xFE\x00\x01"s + kJpegComment), scan0},
      {"segment length past the end", after_scan("\xFF\xE1\xFF\xFF"s + exif), scan0},
      {"only fill bytes after the last segment", jpeg_dnl + "\xFF\xFF"s, jpeg_dnl},
      {"no EOI after the last segment", jpeg_dnl + kJpegComment, jpeg_dnl},
  };
  for (const Stop& s : stops) {
    BOOST_TEST_CONTEXT(s.name) {
      const std::string out = img::strip_metadata(s.input, Format::jpeg);
      BOOST_TEST((out == s.expected),
                 "output differs from the expected bytes (sizes " << out.size() << " and " << s.expected.size() << ")");
      for (const std::string& secret : kSecrets) BOOST_TEST(!contains(out, secret), secret);
      BOOST_TEST(out.size() <= s.input.size());
      BOOST_TEST((img::strip_metadata(out, Format::jpeg) == out), "idempotent");
    }
  }
}

// Inputs whose structure is not understood come back unchanged, metadata and all.
BOOST_AUTO_TEST_CASE(malformed_input_comes_back_unchanged) {
  const Files& f = files();
  const std::string jpeg = jpeg_with(f.jpeg, kJpegComment + app1_exif(camera_exif(true, 6)));
  const std::size_t sos = jpeg.find("\xFF\xDA");
  const std::string png = png_after_ihdr(f.png, kPngText);
  const std::string webp =
      riff(vp8x(0x08, kWidth, kHeight) + webp_image_chunk(f.webp) + riff_chunk("EXIF", camera_exif(true, 6)));
  const std::string gif = gif_after_screen(f.gif, kGifComment);
  const std::size_t gif_screen = gif_first_block(gif);

  struct Malformed {
    std::string name;
    Format format;
    std::string bytes;
  };
  const std::vector<Malformed> malformed = {
      {"jpeg: empty", Format::jpeg, ""},
      {"jpeg: no SOI", Format::jpeg, jpeg.substr(2)},
      {"jpeg: SOI only", Format::jpeg, jpeg.substr(0, 2)},
      {"jpeg: cut inside a segment length", Format::jpeg, jpeg.substr(0, 23)},
      {"jpeg: cut inside the COM segment", Format::jpeg, jpeg.substr(0, 30)},
      {"jpeg: cut inside the SOS header", Format::jpeg, jpeg.substr(0, sos + 3)},
      {"jpeg: segment length 1", Format::jpeg, jpeg_with(jpeg, "\xFF\xFE\x00\x01"s)},
      {"jpeg: segment length past the end", Format::jpeg, jpeg_with(f.jpeg, "\xFF\xE1\xFF\xFF"s + kJpegComment)},
      {"jpeg: byte other than 0xFF where a marker belongs", Format::jpeg, jpeg_with(jpeg, "\x00"s)},
      {"jpeg: stuffed 0xFF00 before SOS (not a segment, whatever follows)", Format::jpeg,
       jpeg_with(jpeg, "\xFF\x00\x00\x02"s)},
      {"jpeg: EOI before SOS", Format::jpeg, jpeg.substr(0, sos) + "\xFF\xD9"},
      {"jpeg: second SOI", Format::jpeg, jpeg_with(jpeg, "\xFF\xD8"s)},
      {"jpeg: only fill bytes after the segments", Format::jpeg, jpeg.substr(0, sos) + "\xFF\xFF\xFF"},
      {"png: empty", Format::png, ""},
      {"png: bad signature", Format::png, "\x89PNG\r\n\x1a\r" + png.substr(8)},
      {"png: first chunk not IHDR", Format::png, png.substr(0, 8) + kPngText + png.substr(8)},
      {"png: chunk length 2^31", Format::png, png_after_ihdr(png, be32(0x80000000) + "tEXt")},
      {"png: chunk length 2^32 - 1", Format::png, png_after_ihdr(png, be32(0xFFFFFFFF) + "tEXt")},
      {"png: chunk runs past the end", Format::png, png.substr(0, png.size() - 13)},
      {"png: CRC cut off", Format::png, png.substr(0, png.size() - 1)},
      {"png: chunk type with a digit", Format::png, png_after_ihdr(png, chunk("tEX1", "a"))},
      {"webp: empty", Format::webp, ""},
      {"webp: not WEBP", Format::webp, webp.substr(0, 8) + "WAVE" + webp.substr(12)},
      {"webp: RIFF size past the end", Format::webp, webp.substr(0, webp.size() - 2)},
      {"webp: RIFF size under 4", Format::webp, "RIFF" + le32(2) + webp.substr(8)},
      {"webp: chunk runs past the RIFF size", Format::webp,
       riff(vp8x(0x08, kWidth, kHeight) + webp_image_chunk(f.webp) + "EXIF" + le32(100) + "abcd")},
      {"webp: odd chunk without its pad byte", Format::webp, riff(webp_image_chunk(f.webp) + "EXIF" + le32(3) + "abc")},
      {"webp: chunk header cut", Format::webp, riff(webp_image_chunk(f.webp) + "EXIF")},
      {"gif: empty", Format::gif, ""},
      {"gif: unknown version", Format::gif, "GIF88a" + gif.substr(6)},
      {"gif: colour table past the end", Format::gif, gif.substr(0, gif_screen - 1)},
      {"gif: unknown block", Format::gif, gif_after_screen(gif, "\x00"s)},
      {"gif: cut inside the comment's sub-blocks", Format::gif, gif.substr(0, gif_screen + 5)},
      {"gif: cut inside an image descriptor", Format::gif, gif.substr(0, gif_first_image(gif) + 5)},
      {"gif: cut after an extension label", Format::gif, gif.substr(0, gif_screen + 2)},
      {"a PNG said to be a JPEG", Format::jpeg, png},
      {"a JPEG said to be a WebP", Format::webp, jpeg},
      {"a WebP said to be a GIF", Format::gif, webp},
      {"a GIF said to be a PNG", Format::png, gif},
  };
  for (const Malformed& m : malformed) {
    BOOST_TEST_CONTEXT(m.name) {
      std::string out;
      BOOST_CHECK_NO_THROW(out = img::strip_metadata(m.bytes, m.format));
      BOOST_TEST((out == m.bytes), "changed: " << m.bytes.size() << " -> " << out.size() << " bytes");
    }
  }
}

// Every prefix of every case's input: no crash (the sanitizer build watches), a result
// that is stable under a second pass and at most 4 bytes longer.
BOOST_AUTO_TEST_CASE(every_truncation_is_handled) {
  for (const Case& c : cases()) {
    BOOST_TEST_CONTEXT(c.name) {
      for (std::size_t n = 0; n <= c.input.size(); ++n) {
        const std::string_view prefix = std::string_view(c.input).substr(0, n);
        const std::string out = img::strip_metadata(prefix, c.format);
        if (out.size() > n + 4 || img::strip_metadata(out, c.format) != out) {
          BOOST_ERROR("prefix of " << n << " bytes: " << out.size() << " bytes out, or not stable");
          break;
        }
      }
    }
  }
}

BOOST_AUTO_TEST_SUITE_END()
