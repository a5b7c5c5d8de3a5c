// The image module: formats, magic bytes, the PNG and WebP header readers, and
// inspect() / make_thumbnail() on images made here with Magick++ and on hand-crafted
// bad ones.
//
// ImageMagick must run under imghost's policy (fcgi/image/policy): the global fixture
// points MAGICK_CONFIGURE_PATH at it unless the environment already does, before
// ImageMagick initializes.  Test images are built from pixel buffers (no "xc:" coder,
// which the policy forbids) and encoded with the four allowed coders only.
#include <boost/test/unit_test.hpp>

#include <chrono>
#include <cstdint>
#include <cstdlib>
#include <exception>
#include <filesystem>
#include <optional>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include "domain/image_format.hpp"
#include "domain/thumbnail_geometry.hpp"
#include "gif_craft.hpp"
#include "image/decoded.hpp"
#include "image/header.hpp"
#include "image/inspect.hpp"
#include "image/magick.hpp"
#include "image/magick_read.hpp"
#include "image/magick_setup.hpp"
#include "image/png_chunks.hpp"
#include "image/png_encode.hpp"
#include "image/sniff.hpp"
#include "image/thumbnail.hpp"
#include "png_craft.hpp"

using namespace std::string_literals;
using namespace imghost::image;
using Reason = Rejection::Reason;

namespace {

// ---- environment ---------------------------------------------------------------

struct PolicyPath {
  PolicyPath() {
    // __FILE__ is tests/unit/image_test.cpp, relative to the repository root when
    // built by the Makefile, which is also where the tests run.
    const auto dir = std::filesystem::path(__FILE__).parent_path() / ".." / ".." / "fcgi" / "image" / "policy";
    setenv("MAGICK_CONFIGURE_PATH", dir.c_str(), 0);
  }
};

// configure_magick() throws when the policy is not in force; a throwing Boost fixture
// takes the whole module down, so the error is kept for the test that reports it.
std::string configure_error;

struct Configured {
  Configured() {
    try {
      configure_magick(Limits{});
    } catch (const std::exception& e) { configure_error = e.what(); }
  }
};

// ---- making images -------------------------------------------------------------

// A w x h RGB(A) image with smooth gradients plus noise, so encoders have real work
// and a JPEG of it has a long entropy-coded segment.  Different seeds give different
// images (an animation encoder merges identical frames).
Magick::Image pattern(std::size_t w, std::size_t h, bool alpha = false, std::uint32_t seed = 0x12345678) {
  const std::size_t channels = alpha ? 4 : 3;
  std::string px(w * h * channels, '\0');
  for (std::size_t y = 0; y < h; ++y)
    for (std::size_t x = 0; x < w; ++x) {
      seed ^= seed << 13, seed ^= seed >> 17, seed ^= seed << 5;
      char* p = &px[(y * w + x) * channels];
      p[0] = static_cast<char>((x * 255 / (w ? w : 1)) ^ (seed & 0x1F));
      p[1] = static_cast<char>((y * 255 / (h ? h : 1)) ^ ((seed >> 8) & 0x1F));
      p[2] = static_cast<char>(((x + y) * 7) ^ ((seed >> 16) & 0x3F));
      if (alpha) p[3] = static_cast<char>(x % 256);
    }
  return Magick::Image(w, h, alpha ? "RGBA" : "RGB", Magick::CharPixel, px.data());
}

std::string encode(Magick::Image img, Format f) {
  img.magick(std::string(magick_coder(f)));
  if (f == Format::jpeg) img.quality(90);
  Magick::Blob blob;
  img.write(&blob);
  return std::string(static_cast<const char*>(blob.data()), blob.length());
}

std::string image_bytes(Format f, std::size_t w, std::size_t h) { return encode(pattern(w, h), f); }

std::string animation(Format f, std::size_t frames, std::size_t w, std::size_t h) {
  std::vector<Magick::Image> list;
  for (std::size_t i = 0; i < frames; ++i) {
    list.push_back(pattern(w, h, false, static_cast<std::uint32_t>(0x9E3779B9u * (i + 1))));
    list.back().animationDelay(10);
    list.back().magick(std::string(magick_coder(f)));
  }
  Magick::Blob blob;
  Magick::writeImages(list.begin(), list.end(), &blob, true);
  return std::string(static_cast<const char*>(blob.data()), blob.length());
}

// The GIF animation `gif` with its frames repeated `times` over: many real frames, made
// in no time.  The frames start at the first Graphic Control Extension after the global
// colour table (and the looping extension, which holds no such bytes); the trailer ends.
std::string gif_frames_repeated(const std::string& gif, std::size_t times) {
  const auto packed = static_cast<unsigned char>(gif[10]);
  const std::size_t table = (packed & 0x80) != 0 ? std::size_t{3} << ((packed & 0x07) + 1) : 0;
  const std::size_t first = gif.find("\x21\xF9\x04", 13 + table);
  std::string out = gif.substr(0, first);
  for (std::size_t i = 0; i < times; ++i) out += gif.substr(first, gif.size() - 1 - first);
  return out + ";";
}

std::size_t frames_in(const std::string& bytes) {
  std::vector<Magick::Image> list;
  Magick::readImages(&list, Magick::Blob(bytes.data(), bytes.size()));
  return list.size();
}

Magick::Image decode(const std::string& bytes) {
  Magick::Image img;
  img.read(Magick::Blob(bytes.data(), bytes.size()));
  return img;
}

// ---- crafting PNG chunks ---------------------------------------------------------

std::uint32_t crc32(std::string_view s) {
  std::uint32_t c = 0xFFFFFFFFu;
  for (unsigned char b : s) {
    c ^= b;
    for (int k = 0; k < 8; ++k) c = (c >> 1) ^ (0xEDB88320u & (0u - (c & 1u)));
  }
  return ~c;
}

std::string be32(std::uint32_t v) {
  return {static_cast<char>(v >> 24), static_cast<char>(v >> 16), static_cast<char>(v >> 8), static_cast<char>(v)};
}

std::string png_chunk(const std::string& type, const std::string& data, bool good_crc = true) {
  const std::uint32_t crc = crc32(type + data);
  return be32(static_cast<std::uint32_t>(data.size())) + type + data + be32(good_crc ? crc : crc ^ 1u);
}

const std::string kPngSignature = "\x89PNG\r\n\x1A\n"s;

// A PNG whose IHDR claims w x h (8-bit RGB) with a token IDAT: it must be refused
// from its header alone.
std::string png_claiming(std::uint32_t w, std::uint32_t h) {
  return kPngSignature + png_chunk("IHDR", be32(w) + be32(h) + "\x08\x02\x00\x00\x00"s) +
         png_chunk("IDAT", "\x78\x9C\x03\x00\x00\x00\x00\x01"s) + png_chunk("IEND", "");
}

// `png` with `chunk` inserted right after IHDR (8-byte signature + 25-byte IHDR).
std::string png_with_chunk_after_ihdr(const std::string& png, const std::string& chunk) {
  return png.substr(0, 33) + chunk + png.substr(33);
}

// ---- expectations ----------------------------------------------------------------

struct Outcome {
  std::optional<Reason> reason;  // nullopt: accepted
  std::string message;
};

Outcome try_inspect(const std::string& bytes, const Limits& limits = {}) {
  try {
    (void)inspect(bytes, limits);
    return {std::nullopt, ""};
  } catch (const Rejection& r) { return {r.reason, r.what()}; }
}

const char* reason_name(const std::optional<Reason>& r) {
  if (!r) return "accepted";
  switch (*r) {
    case Reason::unsupported_format: return "unsupported_format";
    case Reason::invalid_image: return "invalid_image";
    case Reason::out_of_resources: return "out_of_resources";
  }
  return "?";
}

}  // namespace

BOOST_TEST_GLOBAL_FIXTURE(PolicyPath);

BOOST_AUTO_TEST_SUITE(image, *boost::unit_test::fixture<Configured>())

// ---- format ----------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(format_names_are_consistent) {
  struct Case {
    Format f;
    const char *name, *ext, *type, *coder, *display;
  };
  const Case cases[] = {
      {Format::jpeg, "jpeg", "jpg", "image/jpeg", "JPEG", "JPEG"},
      {Format::png, "png", "png", "image/png", "PNG", "PNG"},
      {Format::gif, "gif", "gif", "image/gif", "GIF", "GIF"},
      {Format::webp, "webp", "webp", "image/webp", "WEBP", "WebP"},
  };
  for (const auto& c : cases) {
    BOOST_TEST_CONTEXT(c.name) {
      BOOST_TEST(name(c.f) == c.name);
      BOOST_TEST(extension(c.f) == c.ext);
      BOOST_TEST(content_type(c.f) == c.type);
      BOOST_TEST(magick_coder(c.f) == c.coder);
      BOOST_TEST(display_name(c.f) == c.display);
      BOOST_TEST((parse_format(c.name) == c.f));
      BOOST_TEST((parse_format(c.ext) == c.f));
    }
  }
}

BOOST_AUTO_TEST_CASE(parse_format_is_case_insensitive_and_strict) {
  const std::pair<const char*, std::optional<Format>> cases[] = {
      {"JPG", Format::jpeg}, {"Jpeg", Format::jpeg}, {"PNG", Format::png}, {"WebP", Format::webp},
      {"GIF", Format::gif},  {"tiff", std::nullopt}, {"", std::nullopt},   {"jpeg ", std::nullopt},
      {"svg", std::nullopt}, {"jp", std::nullopt},
  };
  for (const auto& [text, expected] : cases) BOOST_TEST_CONTEXT(text) BOOST_TEST((parse_format(text) == expected));
}

BOOST_AUTO_TEST_CASE(describe_lists_formats_in_enum_order) {
  const std::pair<std::set<Format>, const char*> cases[] = {
      {{Format::webp, Format::gif, Format::png, Format::jpeg}, "JPEG, PNG, GIF or WebP"},
      {{Format::jpeg, Format::png, Format::gif}, "JPEG, PNG or GIF"},
      {{Format::webp, Format::jpeg}, "JPEG or WebP"},
      {{Format::png}, "PNG"},
      {{}, ""},
  };
  for (const auto& [formats, text] : cases) BOOST_TEST(describe(formats) == text);
}

// ---- sniff -----------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(sniff_reads_magic_bytes_only) {
  const std::pair<std::string, std::optional<Format>> cases[] = {
      {"\xFF\xD8\xFF\xE0rest"s, Format::jpeg},
      {"\xFF\xD8\xFF"s, Format::jpeg},
      {"\xFF\xD8"s, std::nullopt},
      {kPngSignature + "IHDR", Format::png},
      {kPngSignature.substr(0, 7), std::nullopt},
      {"GIF87a...", Format::gif},
      {"GIF89a...", Format::gif},
      {"GIF90a...", std::nullopt},
      {"RIFF\x10\0\0\0WEBPVP8 "s, Format::webp},
      {"RIFF\x10\0\0\0WEBP"s, Format::webp},
      {"RIFF\x10\0\0\0WAVEfmt "s, std::nullopt},
      {"RIFF\x10\0\0\0WEB"s, std::nullopt},
      {"", std::nullopt},
      {"hello, this is text.jpg", std::nullopt},
      {"<html><body><img src=x></body></html>", std::nullopt},
      {"<?xml version=\"1.0\"?><svg xmlns=\"http://www.w3.org/2000/svg\"/>", std::nullopt},
      {"push graphic-context\nviewbox 0 0 640 480\n", std::nullopt},
      {"BM\x36\0\0\0"s, std::nullopt},
      {"II*\0"s, std::nullopt},
      {"%PDF-1.4", std::nullopt},
      {" \xFF\xD8\xFF"s, std::nullopt},
      // Videos by their container: an ISO BMFF ftyp box of a video brand, an EBML header.
      {"\0\0\0\x20"
       "ftypisom\0\0\x02\0"s,
       Format::mp4},
      {"\0\0\0\x14"
       "ftypqt  \0\0\x02\0"s,
       Format::mp4},  // QuickTime MOV
      {"\0\0\0\x1c"
       "ftypavif\0\0\0\0"s,
       std::nullopt},  // a still AVIF image
      {"\0\0\0\x18"
       "ftypheic\0\0\0\0"s,
       std::nullopt},  // a still HEIC image
      {"\0\0\0\x08"
       "ftypisom\0\0\x02\0"s,
       std::nullopt},  // a box too small to be ftyp
      {"\0\0\0\x20"
       "ftyp"s,
       std::nullopt},
      {"\0\0\0\x20"
       "moovisom"s,
       std::nullopt},  // old QuickTime without ftyp: not accepted
      {"\x1A\x45\xDF\xA3\x9F\x42\x86\x81\x01"s, Format::webm},
      {"\x1A\x45\xDF"s, std::nullopt},
      {"RIFF\x10\0\0\0AVI LIST"s, std::nullopt},  // AVI
      {"FLV\x01\x05"s, std::nullopt},
      {"\x47\x40\x00\x10"s, std::nullopt},  // an MPEG-TS packet
      {"#EXTM3U\n#EXT-X-VERSION:3\n"s, std::nullopt},
      {"ffconcat version 1.0\nfile /etc/passwd\n"s, std::nullopt},
  };
  for (const auto& [bytes, expected] : cases) BOOST_TEST_CONTEXT(bytes) BOOST_TEST((sniff(bytes) == expected));
}

// ---- WebP container -----------------------------------------------------------------

BOOST_AUTO_TEST_CASE(webp_header_reads_each_kind_of_first_chunk) {
  Magick::Image lossless = pattern(37, 21, true);
  lossless.defineValue("webp", "lossless", "true");
  struct Case {
    const char* what;
    std::string bytes;
    std::uint32_t w, h, frames;
  };
  const Case cases[] = {
      {"lossy (VP8)", image_bytes(Format::webp, 64, 48), 64, 48, 1},
      {"lossless with alpha (VP8L)", encode(lossless, Format::webp), 37, 21, 1},
      {"animation (VP8X + ANMF)", animation(Format::webp, 3, 40, 30), 40, 30, 3},
  };
  for (const auto& c : cases) {
    BOOST_TEST_CONTEXT(c.what) {
      const auto h = detail::webp_header(c.bytes);
      BOOST_TEST_REQUIRE(h.has_value());
      BOOST_TEST(h->width == c.w);
      BOOST_TEST(h->height == c.h);
      BOOST_TEST(h->frames == c.frames);
      BOOST_TEST(h->frame_pixels == std::uint64_t{c.w} * c.h * c.frames);
    }
  }
}

BOOST_AUTO_TEST_CASE(webp_header_refuses_malformed_containers) {
  const std::string good = image_bytes(Format::webp, 64, 48);
  const std::string cases[] = {
      "",
      "RIFF\x04\0\0\0WEBP"s,                                              // no chunk at all
      good.substr(0, 20),                                                 // first chunk's payload cut off
      "RIFF\x20\0\0\0WEBPVP8 \x0A\0\0\0\0\0\0\x00\x00\x00\x40\0\x30\0"s,  // no start code
      "RIFF\x20\0\0\0WEBPVP8L\x05\0\0\0\x00\0\0\0\0"s,                    // bad VP8L signature
      "RIFF\x20\0\0\0WEBPVP8X\x0A\0\0\0\x02\0\0\0\x3F\0\0\x2F\0\0"s,      // animation, no frame
      "RIFF\x20\0\0\0WEBPICCP\x04\0\0\0abcd"s,                            // unknown first chunk
  };
  for (const auto& bytes : cases) BOOST_TEST_CONTEXT(bytes.size() << " bytes") BOOST_TEST(!detail::webp_header(bytes));
}

BOOST_AUTO_TEST_CASE(png_header_reads_ihdr) {
  const std::pair<std::string, std::optional<std::pair<std::uint32_t, std::uint32_t>>> cases[] = {
      {image_bytes(Format::png, 64, 48), std::pair{64u, 48u}},
      {png_claiming(30000, 7), std::pair{30000u, 7u}},
      {png_claiming(30000, 7).substr(0, 32), std::nullopt},                      // IHDR cut short
      {kPngSignature + png_chunk("tEXt", "a\0b"s), std::nullopt},                // IHDR not first
      {kPngSignature + png_chunk("IHDR", std::string(12, '\1')), std::nullopt},  // wrong length
      {"\x89PNG\r\n\x1A\x0B" + png_claiming(5, 5).substr(8), std::nullopt},      // bad signature
  };
  for (const auto& [bytes, dims] : cases) {
    BOOST_TEST_CONTEXT(bytes.size() << " bytes") {
      const auto h = detail::png_header(bytes);
      BOOST_TEST_REQUIRE(h.has_value() == dims.has_value());
      if (!h) continue;
      BOOST_TEST(h->width == dims->first);
      BOOST_TEST(h->height == dims->second);
      BOOST_TEST(h->frames == 1u);
    }
  }
}

// ---- geometry ----------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(fit_within_keeps_aspect_and_never_enlarges) {
  struct Case {
    std::uint32_t w, h, box, tw, th;
  };
  const Case cases[] = {
      {1920, 1080, 320, 320, 180}, {1080, 1920, 320, 180, 320}, {4000, 3000, 320, 320, 240}, {100, 50, 320, 100, 50},
      {320, 320, 320, 320, 320},   {333, 333, 320, 320, 320},   {321, 1, 320, 320, 1},       {1, 10000, 320, 1, 320},
      {1000, 999, 320, 320, 320},  {1, 1, 320, 1, 1},
  };
  for (const auto& c : cases) {
    BOOST_TEST_CONTEXT(c.w << "x" << c.h) {
      const auto [tw, th] = imghost::fit_within(c.w, c.h, c.box);
      BOOST_TEST(tw == c.tw);
      BOOST_TEST(th == c.th);
    }
  }
}

// ---- ImageMagick warnings ------------------------------------------------------------

BOOST_AUTO_TEST_CASE(only_metadata_warnings_are_benign) {
  using namespace MagickCore;
  struct Case {
    ExceptionType severity;
    const char* reason;
    bool benign;
  };
  const Case cases[] = {
      {CorruptImageWarning, "Premature end of JPEG file", false},
      {CorruptImageWarning, "Corrupt JPEG data: bad Huffman code", false},
      {CorruptImageWarning, "Corrupt JPEG data: premature end of data segment", false},
      {CorruptImageWarning, "Corrupt JPEG data: 12 extraneous bytes before marker 0xd9", true},
      {CorruptImageWarning, "Corrupt JPEG data: 12 extraneous bytes before marker 0xc4", false},
      {CorruptImageWarning, "Warning: unknown JFIF revision number 3.01", true},
      {CoderWarning, "iCCP: known incorrect sRGB profile", true},
      {CoderWarning, "tEXt: CRC error", true},
      {CoderWarning, "IDAT: Too much image data", false},
      {CoderWarning, "IDAT: CRC error", false},
      {CoderWarning, "Not enough image data", false},
      {CoderError, "iCCP: known incorrect sRGB profile", false},
      {CorruptImageError, "Corrupt JPEG data: 1 extraneous bytes before marker 0xd9", false},
  };
  for (const auto& c : cases)
    BOOST_TEST_CONTEXT(c.reason) BOOST_TEST(detail::is_benign_warning(c.severity, c.reason) == c.benign);
}

// ---- policy and setup ----------------------------------------------------------------

BOOST_AUTO_TEST_CASE(project_policy_is_in_force) {
  BOOST_TEST(configure_error == "");
  using namespace MagickCore;
  for (const char* coder : {"MVG", "MSL", "SVG", "TEXT", "EPHEMERAL", "URL", "HTML", "XC", "BMP", "TIFF", "PDF"}) {
    BOOST_TEST_CONTEXT(coder) {
      BOOST_TEST(!IsRightsAuthorized(CoderPolicyDomain, ReadPolicyRights, coder));
      BOOST_TEST(!IsRightsAuthorized(ModulePolicyDomain, ReadPolicyRights, coder));
    }
  }
  for (const char* coder : {"JPEG", "PNG", "GIF", "WEBP"}) {
    BOOST_TEST_CONTEXT(coder) {
      BOOST_TEST(IsRightsAuthorized(CoderPolicyDomain, ReadPolicyRights, coder));
      BOOST_TEST(IsRightsAuthorized(CoderPolicyDomain, WritePolicyRights, coder));
    }
  }
  BOOST_TEST(!IsRightsAuthorized(DelegatePolicyDomain, ExecutePolicyRights, "ghostscript"));
}

BOOST_AUTO_TEST_CASE(configure_magick_sets_limits_but_never_time) {
  const Limits limits;
  BOOST_TEST(Magick::ResourceLimits::thread() == 1u);
  BOOST_TEST(Magick::ResourceLimits::memory() <= limits.memory_bytes);
  BOOST_TEST(Magick::ResourceLimits::listLength() == limits.max_frames + 2u);
  BOOST_TEST(Magick::ResourceLimits::area() <= limits.max_pixels);
  using MagickCore::MagickSizeType;  // MagickResourceInfinity names it unqualified
  BOOST_TEST(MagickCore::GetMagickResourceLimit(MagickCore::TimeResource) == MagickResourceInfinity);
}

// ---- inspect: accepted -------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(inspect_accepts_each_format) {
  Magick::Image gray = pattern(50, 70);
  gray.type(Magick::GrayscaleType);
  Magick::Image deep = pattern(30, 20, true);
  deep.depth(16);
  Magick::Image progressive = pattern(300, 200);
  progressive.interlaceType(Magick::PlaneInterlace);
  struct Case {
    const char* what;
    std::string bytes;
    Format f;
    std::uint32_t w, h, frames;
  };
  const Case cases[] = {
      {"jpeg", image_bytes(Format::jpeg, 64, 48), Format::jpeg, 64, 48, 1},
      {"grayscale jpeg", encode(gray, Format::jpeg), Format::jpeg, 50, 70, 1},
      {"progressive jpeg", encode(progressive, Format::jpeg), Format::jpeg, 300, 200, 1},
      {"png", image_bytes(Format::png, 64, 48), Format::png, 64, 48, 1},
      {"16-bit png with alpha", encode(deep, Format::png), Format::png, 30, 20, 1},
      {"interlaced png", encode(progressive, Format::png), Format::png, 300, 200, 1},
      {"gif", image_bytes(Format::gif, 64, 48), Format::gif, 64, 48, 1},
      {"animated gif", animation(Format::gif, 4, 40, 30), Format::gif, 40, 30, 4},
      {"webp", image_bytes(Format::webp, 64, 48), Format::webp, 64, 48, 1},
      {"animated webp", animation(Format::webp, 3, 40, 30), Format::webp, 40, 30, 3},
      {"1x1 png", image_bytes(Format::png, 1, 1), Format::png, 1, 1, 1},
  };
  for (const auto& c : cases) {
    BOOST_TEST_CONTEXT(c.what) {
      const auto out = try_inspect(c.bytes);
      BOOST_TEST_INFO(out.message);
      BOOST_TEST_REQUIRE(!out.reason.has_value());
      const Inspected in = inspect(c.bytes, Limits{});
      BOOST_TEST((in.format == c.f));
      BOOST_TEST(in.width == c.w);
      BOOST_TEST(in.height == c.h);
      BOOST_TEST(in.frames == c.frames);
      BOOST_TEST_REQUIRE(in.decoded != nullptr);
    }
  }
}

// inspect() keeps a thumbnail-sized frame, never the full-size decode: several big files
// in one request are inspected one after the other with their results kept.
BOOST_AUTO_TEST_CASE(inspect_keeps_only_a_thumbnail_sized_frame) {
  struct Case {
    const char* what;
    std::string bytes;
    std::uint32_t w, h;
  };
  const Case cases[] = {
      {"jpeg (decoded at 2/8 scale)", image_bytes(Format::jpeg, 2000, 1500), 2000, 1500},
      {"png", image_bytes(Format::png, 800, 600), 800, 600},
      {"small png", image_bytes(Format::png, 64, 48), 64, 48},
      {"gif animation", animation(Format::gif, 3, 640, 480), 640, 480},
      {"webp", image_bytes(Format::webp, 640, 360), 640, 360},
  };
  for (const auto& c : cases) {
    BOOST_TEST_CONTEXT(c.what) {
      const Inspected in = inspect(c.bytes, Limits{});
      BOOST_TEST(in.width == c.w);  // the original's size, from the header
      BOOST_TEST(in.height == c.h);
      const auto [tw, th] = imghost::fit_within(c.w, c.h, 320);
      BOOST_TEST(in.decoded->frame.columns() == tw);
      BOOST_TEST(in.decoded->frame.rows() == th);
    }
  }
}

// Eight 7000 x 7000 PNGs failed in one request ("cache resources exhausted") while each
// full-size decode was kept for its thumbnail; a gray or palette one failed alone, its
// pixel cache being opened twice over while the coder switches it to a colormap.  All
// within the limits (49 of 50 megapixels): every one is accepted, all kept at once.
BOOST_AUTO_TEST_CASE(big_pngs_one_after_another_are_all_accepted) {
  struct Case {
    const char* what;
    std::string bytes;
  };
  const Case cases[] = {
      {"RGB 7000x7000", png_craft::flat_png(7000, 7000, 2, 1)},
      {"RGB 7000x7000 again", png_craft::flat_png(7000, 7000, 2, 2)},
      {"gray 7000x7000", png_craft::flat_png(7000, 7000, 0, 3)},
      {"palette 7000x7000", png_craft::flat_png(7000, 7000, 3, 4)},
  };
  std::vector<Inspected> kept;
  for (const auto& c : cases) {
    try {
      kept.push_back(inspect(c.bytes, Limits{}));
    } catch (const Rejection& r) { BOOST_ERROR(c.what << ": " << r.what()); }
  }
  BOOST_TEST(kept.size() == std::size(cases));
}

// Past the header checks, running out of memory, map or disk is the server's state, not
// the file's fault: out_of_resources (503), never invalid_image (422).  The limits are
// lowered for this test only (code may lower them, and restore them under the policy's).
BOOST_AUTO_TEST_CASE(running_out_of_pixel_cache_is_not_an_invalid_image) {
  struct Restore {
    ~Restore() { configure_magick(Limits{}); }
  } restore;
  const std::string jpeg = image_bytes(Format::jpeg, 2000, 1500);
  const std::string gif = animation(Format::gif, 2, 800, 800);
  const std::string webp = image_bytes(Format::webp, 800, 800);
  const std::string png = image_bytes(Format::png, 800, 800);
  Magick::ResourceLimits::memory(1 << 20);
  Magick::ResourceLimits::map(1 << 20);
  Magick::ResourceLimits::disk(1 << 20);
  for (const auto& [what, bytes] :
       {std::pair{"jpeg", jpeg}, std::pair{"gif", gif}, std::pair{"webp", webp}, std::pair{"png", png}}) {
    BOOST_TEST_CONTEXT(what) {
      const auto out = try_inspect(bytes);
      BOOST_TEST(reason_name(out.reason) == "out_of_resources");
      BOOST_TEST(out.message ==
                 "could not be decoded: the server is short of memory for an image this large; try again later");
    }
  }
}

BOOST_AUTO_TEST_CASE(metadata_only_warnings_do_not_reject) {
  // An ancillary chunk with a bad CRC: libpng warns ("tEXt: CRC error") and drops it.
  const std::string png =
      png_with_chunk_after_ihdr(image_bytes(Format::png, 32, 32), png_chunk("tEXt", "Comment\0hello"s, false));
  // Junk between the last scan and EOI: every row decoded.
  std::string jpeg = image_bytes(Format::jpeg, 64, 48);
  jpeg.insert(jpeg.size() - 2, "\x00\x11\x22"s);
  for (const auto& [what, bytes] : {std::pair{"png, bad tEXt CRC", png}, std::pair{"jpeg, junk before EOI", jpeg}}) {
    BOOST_TEST_CONTEXT(what) {
      const auto out = try_inspect(bytes);
      BOOST_TEST(reason_name(out.reason) == "accepted");
      BOOST_TEST_INFO(out.message);
    }
  }
}

// ---- PNG chunks that inflate ----------------------------------------------------------

// libpng inflates a zTXt chunk before any pixel, outside every ImageMagick limit and the
// deadline (6.9.11: 9 s and 1 GiB of memory for the first case).  inspect() never hands
// the decoder a text chunk: these decode as fast as the image without them.
BOOST_AUTO_TEST_CASE(inspect_never_inflates_png_text_chunks) {
  namespace pc = png_craft;
  const std::string gib = pc::zlib_bomb(1024);
  const std::string png = image_bytes(Format::png, 64, 48);
  const std::string iend = png.substr(png.size() - 12);
  struct Case {
    const char* what;
    std::string bytes;
  };
  const Case cases[] = {
      {"zTXt of 1 GiB", pc::after_ihdr(png, pc::ztxt(gib))},
      {"compressed iTXt of 1 GiB", pc::after_ihdr(png, pc::itxt(gib, true))},
      {"four zTXt of 1 GiB after IDAT",
       png.substr(0, png.size() - 12) + pc::ztxt(gib) + pc::ztxt(gib) + pc::ztxt(gib) + pc::ztxt(gib) + iend},
  };
  for (const auto& c : cases) {
    BOOST_TEST_CONTEXT(c.what) {
      const auto start = std::chrono::steady_clock::now();
      const auto out = try_inspect(c.bytes);
      const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start);
      BOOST_TEST(reason_name(out.reason) == "accepted");
      BOOST_TEST_INFO(out.message);
      BOOST_TEST(ms.count() < 1000);
    }
  }
}

// An iCCP chunk is a rendering chunk, decoded and stored: one that inflates past the cap
// is refused (6.9.11 spent 16 s and 3 GB on the first case, then accepted it).
BOOST_AUTO_TEST_CASE(inspect_refuses_an_icc_profile_bomb_and_keeps_a_real_profile) {
  namespace pc = png_craft;
  const std::string png = image_bytes(Format::png, 64, 48);
  const std::string profile = pc::small_icc_profile();
  struct Case {
    const char* what;
    std::string bytes;
    std::optional<std::string> refused;
  };
  const Case cases[] = {
      {"iCCP of 1 GiB behind a valid profile header",
       pc::after_ihdr(png, pc::iccp(pc::zlib_bomb(1024, pc::icc_header(1u << 30, 0)))),
       "has an iCCP chunk that inflates to over 16 MiB (a decompression bomb)"},
      {"iCCP whose header claims 1 GiB", pc::after_ihdr(png, pc::iccp(pc::zlib_of(pc::icc_header(1u << 30, 0)))),
       "has an iCCP chunk whose profile claims 1073741824 bytes, over the limit of 16 MiB (a decompression bomb)"},
      {"a real profile", pc::after_ihdr(png, pc::iccp(pc::zlib_of(profile))), std::nullopt},
  };
  for (const auto& c : cases) {
    BOOST_TEST_CONTEXT(c.what) {
      const auto out = try_inspect(c.bytes);
      BOOST_TEST(reason_name(out.reason) == (c.refused ? "invalid_image" : "accepted"));
      BOOST_TEST(out.message == c.refused.value_or(""));
    }
  }
  // The real profile reaches the decoder, whole.
  const Magick::Image decoded = decode(png_for_decoder(pc::after_ihdr(png, pc::iccp(pc::zlib_of(profile)))));
  BOOST_TEST(decoded.iccColorProfile().length() == profile.size());
}

// What png_image_data_size() expects is what real encoders write: ImageMagick's image
// data, inflated, for each kind of PNG.
BOOST_AUTO_TEST_CASE(png_image_data_size_matches_an_encoder) {
  auto inflated_idat = [](const std::string& png) {
    std::string idat;
    for (std::size_t pos = 8; pos + 12 <= png.size();) {
      const auto* p = reinterpret_cast<const unsigned char*>(png.data() + pos);
      const std::size_t length = std::size_t{p[0]} << 24 | std::size_t{p[1]} << 16 | std::size_t{p[2]} << 8 | p[3];
      if (png.compare(pos + 4, 4, "IDAT") == 0) idat += png.substr(pos + 8, length);
      pos += 12 + length;
    }
    uLongf size = 1u << 24;
    std::string out(size, '\0');
    BOOST_TEST(uncompress(reinterpret_cast<Bytef*>(out.data()), &size, reinterpret_cast<const Bytef*>(idat.data()),
                          static_cast<uLong>(idat.size())) == Z_OK);
    return std::uint64_t{size};
  };
  Magick::Image gray = pattern(33, 17);
  gray.type(Magick::GrayscaleType);
  Magick::Image two_colours = pattern(37, 11);
  two_colours.quantizeColors(2);
  two_colours.quantize();
  Magick::Image deep = pattern(30, 20, true);
  deep.depth(16);
  Magick::Image interlaced = pattern(301, 203);
  interlaced.interlaceType(Magick::PlaneInterlace);
  Magick::Image tiny = pattern(1, 1);
  tiny.interlaceType(Magick::PlaneInterlace);
  const std::pair<const char*, std::string> cases[] = {
      {"RGB", encode(pattern(64, 48), Format::png)},     {"gray", encode(gray, Format::png)},
      {"two colours", encode(two_colours, Format::png)}, {"16-bit RGBA", encode(deep, Format::png)},
      {"interlaced", encode(interlaced, Format::png)},   {"1x1 interlaced", encode(tiny, Format::png)},
  };
  for (const auto& [what, png] : cases) {
    BOOST_TEST_CONTEXT(what) {
      const auto expected = png_image_data_size(png);
      BOOST_TEST_REQUIRE(expected.has_value());
      BOOST_TEST(*expected == inflated_idat(png));
    }
  }
}

// libpng inflates the whole image data stream, past the last row, before it reports "too
// much image data", and no deadline reaches it there (6.9.11: 13 s for 5 GiB in 5 MiB).
BOOST_AUTO_TEST_CASE(inspect_refuses_image_data_past_the_pixels_in_no_time) {
  std::string rows;
  for (int y = 0; y < 16; ++y) rows += "\0"s + std::string(48, static_cast<char>(y * 9));
  const std::string png = png_craft::kSignature +
                          png_craft::chunk("IHDR", png_craft::be32(16) + png_craft::be32(16) + "\x08\x02\0\0\0"s) +
                          png_craft::chunk("IDAT", png_craft::zlib_bomb(4096, rows)) + png_craft::chunk("IEND", "");
  const auto start = std::chrono::steady_clock::now();
  const auto out = try_inspect(png);
  const auto ms = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - start);
  BOOST_TEST(reason_name(out.reason) == "invalid_image");
  BOOST_TEST(out.message == "has image data that inflates to more than its 16x16 pixels (a decompression bomb)");
  BOOST_TEST(ms.count() < 1000);
}

// Image data too small to run long (under 64 KB: it inflates to 64 MiB at most) is not
// inflated before the decode; past its pixels it is refused all the same, by libpng.
BOOST_AUTO_TEST_CASE(inspect_refuses_small_image_data_past_the_pixels) {
  std::string rows;
  for (int y = 0; y < 16; ++y) rows += "\0"s + std::string(48, static_cast<char>(y * 9));
  auto png = [](const std::string& idat) {
    return png_craft::kSignature +
           png_craft::chunk("IHDR", png_craft::be32(16) + png_craft::be32(16) + "\x08\x02\0\0\0"s) +
           png_craft::chunk("IDAT", idat) + png_craft::chunk("IEND", "");
  };
  BOOST_TEST(reason_name(try_inspect(png(png_craft::zlib_of(rows))).reason) == "accepted");
  // One row more; 8 MiB more (in about 8 KB).
  for (const auto& idat : {png_craft::zlib_of(rows + "\0"s + std::string(48, 'x')), png_craft::zlib_bomb(8, rows)}) {
    const std::string past = png(idat);
    BOOST_TEST_REQUIRE(png_image_data_bound(past) < (64u << 20));
    const auto out = try_inspect(past);
    BOOST_TEST(reason_name(out.reason) == "invalid_image");
    BOOST_TEST(out.message == "is not a valid PNG image (IDAT: Too much image data)");
  }
}

// The frames after the first are checked by giflib (check_gif_frames); what it refuses is
// refused by inspect() with its reason, and a file in which it finds no frame at all
// (ImageMagick skips a stray byte before the first, giflib and browsers stop there) too.
BOOST_AUTO_TEST_CASE(inspect_refuses_what_the_gif_frame_check_finds) {
  using namespace gif_craft;
  BOOST_TEST(reason_name(try_inspect(gif(frame(8, 4) + frame(8, 4) + kTrailer)).reason) == "accepted");
  struct Case {
    const char* what;
    std::string bytes;
    std::string message;
  };
  const Case cases[] = {
      {"bad codes in the second frame",
       gif(frame(8, 4) + frame(8, 4, "\x02"s + blocks(pack3({4, 7, 7, 7}))) + kTrailer),
       "is not a valid GIF image (frame 2: Image is defective, decoding aborted)"},
      {"an index past the table in the second frame", gif(frame(8, 4) + frame(8, 4, pixels(8, 4, 3)) + kTrailer),
       "is not a valid GIF image (frame 2: invalid colormap index)"},
      {"a stray byte before the first frame", gif("x" + frame(8, 4) + kTrailer), "is not a valid GIF image (no frame)"},
  };
  for (const auto& c : cases) {
    BOOST_TEST_CONTEXT(c.what) {
      const auto out = try_inspect(c.bytes);
      BOOST_TEST(reason_name(out.reason) == "invalid_image");
      BOOST_TEST(out.message == c.message);
    }
  }
}

BOOST_AUTO_TEST_CASE(frame_limit_is_inclusive) {
  Limits limits;
  limits.max_frames = 3;
  for (Format f : {Format::gif, Format::webp}) {
    BOOST_TEST_CONTEXT(name(f)) {
      BOOST_TEST(reason_name(try_inspect(animation(f, 3, 8, 8), limits).reason) == "accepted");
      const auto over = try_inspect(animation(f, 4, 8, 8), limits);
      BOOST_TEST(reason_name(over.reason) == "invalid_image");
      BOOST_TEST(over.message == "has more frames than the limit of 3");
    }
  }
}

// ---- inspect: refused -------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(inspect_refuses_what_is_not_an_accepted_image) {
  const std::string cases[] = {
      "",
      "This is a plain text file that someone named holiday.jpg\n",
      "<!DOCTYPE html><html><body><script>alert(1)</script></body></html>",
      "<?xml version=\"1.0\" standalone=\"no\"?>\n<svg width=\"64\" height=\"48\" "
      "xmlns=\"http://www.w3.org/2000/svg\"><rect width=\"64\" height=\"48\"/></svg>",
      "<svg xmlns=\"http://www.w3.org/2000/svg\"><image href=\"file:///etc/passwd\"/></svg>",
      "push graphic-context\nviewbox 0 0 640 480\nimage over 0,0 0,0 'https://example.com/x.jpg'\n"
      "pop graphic-context\n",
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<image>\n<read filename=\"/etc/passwd\" />\n"
      "<write filename=\"/tmp/x.png\" />\n</image>",
      "%!PS-Adobe-3.0\n",
      "%PDF-1.4\n",
      "BM\x36\x00\x00\x00\x00\x00"s,
      "II*\0\x08\0\0\0"s,
      "RIFF\x24\0\0\0WAVEfmt \x10\0\0\0"s,
      "\0\0\0\x0C"
      "jP  \r\n\x87\n"s,
      std::string(1000, '\0'),
  };
  for (const auto& bytes : cases) {
    BOOST_TEST_CONTEXT(bytes.substr(0, 40)) {
      const auto out = try_inspect(bytes);
      BOOST_TEST(reason_name(out.reason) == "unsupported_format");
      BOOST_TEST(out.message == "is not a JPEG, PNG, GIF or WebP image");
    }
  }
}

BOOST_AUTO_TEST_CASE(inspect_refuses_formats_not_configured) {
  Limits limits;
  limits.accepted = {Format::jpeg, Format::png};
  for (Format f : {Format::gif, Format::webp}) {
    const auto out = try_inspect(image_bytes(f, 16, 16), limits);
    BOOST_TEST(reason_name(out.reason) == "unsupported_format");
    BOOST_TEST(out.message == "is not a JPEG or PNG image");
  }
}

BOOST_AUTO_TEST_CASE(inspect_refuses_corrupt_and_truncated_images) {
  auto half = [](const std::string& s) { return s.substr(0, s.size() / 2); };
  const std::string jpeg = image_bytes(Format::jpeg, 640, 480);
  const std::string png = image_bytes(Format::png, 200, 150);
  const std::string gif = image_bytes(Format::gif, 200, 150);
  const std::string webp = image_bytes(Format::webp, 200, 150);

  // A bit flipped inside the IDAT data: the chunk's CRC no longer matches.
  std::string flipped_png = png;
  flipped_png[png.find("IDAT") + 4 + (png.size() - png.find("IDAT")) / 2] ^= 0x10;
  // The JPEG's SOF0 height set to 0: libjpeg refuses it.
  std::string no_height = jpeg;
  const auto sof = no_height.find("\xFF\xC0"s);
  BOOST_TEST_REQUIRE(sof != std::string::npos);
  no_height[sof + 5] = 0;
  no_height[sof + 6] = 0;
  // The first scan's Huffman table selectors point at tables that do not exist.
  std::string bad_table = jpeg;
  const auto sos = bad_table.find("\xFF\xDA"s);
  BOOST_TEST_REQUIRE(sos != std::string::npos);
  bad_table[sos + 6] = '\x33';

  struct Case {
    const char* what;
    std::string bytes;
  };
  const Case cases[] = {
      {"truncated jpeg", half(jpeg)},
      {"jpeg cut after its header", jpeg.substr(0, jpeg.find("\xFF\xDA"s) + 20)},
      {"jpeg magic then garbage", "\xFF\xD8\xFF\xE0" + std::string(300, 'x')},
      {"jpeg without height", no_height},
      {"jpeg with bad huffman table ids", bad_table},
      {"truncated png", half(png)},
      {"png without IEND", png.substr(0, png.size() - 12)},
      {"png with a flipped bit", flipped_png},
      {"png signature then garbage", kPngSignature + std::string(300, 'x')},
      {"png signature only", kPngSignature},
      {"truncated gif", half(gif)},
      {"gif header then MVG", "GIF89a\npush graphic-context\nviewbox 0 0 640 480\nfill 'url(https://x/)'\n"},
      {"truncated webp", half(webp)},
      {"webp header then garbage", "RIFF\x2C\x01\0\0WEBPVP8 \x20\x01\0\0"s + std::string(300, 'x')},
      {"webp header only", "RIFF\x04\0\0\0WEBP"s},
  };
  for (const auto& c : cases) {
    BOOST_TEST_CONTEXT(c.what) {
      const auto out = try_inspect(c.bytes);
      BOOST_TEST(reason_name(out.reason) == "invalid_image");
      BOOST_TEST_MESSAGE(c.what << ": " << out.message);
    }
  }
}

BOOST_AUTO_TEST_CASE(truncated_jpeg_is_refused_with_libjpeg_reason) {
  // ImageMagick 6 only warns about this and paints the missing rows gray.
  const std::string jpeg = image_bytes(Format::jpeg, 1920, 1080);
  const auto out = try_inspect(jpeg.substr(0, jpeg.size() / 2));
  BOOST_TEST(reason_name(out.reason) == "invalid_image");
  BOOST_TEST(out.message == "is not a valid JPEG image (Premature end of JPEG file)");
}

BOOST_AUTO_TEST_CASE(inspect_refuses_oversized_images_before_decoding) {
  Limits small;
  small.max_pixels = 30'000;
  struct Case {
    const char* what;
    std::string bytes;
    Limits limits;
    std::string message;
  };
  // A real JPEG and GIF whose headers are edited to claim 30000x30000.
  std::string jpeg = image_bytes(Format::jpeg, 64, 48);
  const auto sof = jpeg.find("\xFF\xC0"s);
  BOOST_TEST_REQUIRE(sof != std::string::npos);
  jpeg.replace(sof + 5, 4, "\x75\x30\x75\x30"s);  // height, width: u16be 30000
  std::string gif = image_bytes(Format::gif, 64, 48);
  gif.replace(6, 4, "\x30\x75\x30\x75"s);  // logical screen: u16le 30000 x 30000
  // A frame as large as a GIF can say, in a small screen: ImageMagick's GIF coder
  // refuses it while pinging, with its width/height limit.
  const std::string gif_max_frame =
      gif_craft::gif(gif_craft::frame(65535, 65535, gif_craft::pixels(1, 1)) + gif_craft::kTrailer);

  const Case cases[] = {
      {"jpeg claiming 30000x30000", jpeg, Limits{}, "is 30000x30000 pixels, over the limit of 20000x20000"},
      {"gif screen of 30000x30000", gif, Limits{}, "is 30000x30000 pixels, over the limit of 20000x20000"},
      {"gif frame of 65535x65535", gif_max_frame, Limits{}, "is 65535x65535 pixels, over the limit of 20000x20000"},
      {"png claiming 30000x30000", png_claiming(30000, 30000), Limits{},
       "is 30000x30000 pixels, over the limit of 20000x20000"},
      {"png claiming 30000x10", png_claiming(30000, 10), Limits{}, "is 30000x10 pixels, over the limit of 20000x20000"},
      {"png claiming 15000x15000", png_claiming(15000, 15000), Limits{},
       "is 15000x15000 pixels, over the limit of 50 megapixels"},
      {"png over a small area limit", image_bytes(Format::png, 200, 200), small,
       "is 200x200 pixels, over the limit of 30000 pixels"},
      {"jpeg over a small area limit", image_bytes(Format::jpeg, 200, 200), small,
       "is 200x200 pixels, over the limit of 30000 pixels"},
      {"webp over a small area limit", image_bytes(Format::webp, 200, 200), small,
       "is 200x200 pixels, over the limit of 30000 pixels"},
      {"gif frames over the area limit together", animation(Format::gif, 4, 100, 100), small,
       "has 4 frames of up to 100x100 pixels, over the limit of 30000 pixels for all frames together"},
      {"webp frames over the area limit together", animation(Format::webp, 4, 100, 100), small,
       "has 4 frames of up to 100x100 pixels, over the limit of 30000 pixels for all frames together"},
  };
  for (const auto& c : cases) {
    BOOST_TEST_CONTEXT(c.what) {
      const auto out = try_inspect(c.bytes, c.limits);
      BOOST_TEST(reason_name(out.reason) == "invalid_image");
      BOOST_TEST(out.message == c.message);
    }
  }
}

BOOST_AUTO_TEST_CASE(inspect_refuses_too_many_frames) {
  Limits limits;
  limits.max_frames = 5;
  const std::string many = animation(Format::gif, 40, 4, 4);
  const auto out = try_inspect(many, limits);
  BOOST_TEST(reason_name(out.reason) == "invalid_image");
  BOOST_TEST(out.message == "has more frames than the limit of 5");
}

// The deadline stops a decode that runs long, where the coder lets it (see Deadline).
// Each case is decoded under a generous budget (accepted: the full decode time), then
// under a tenth of that: refused, in far less than the full time.  The PNG's time is in
// inflating its image data, which inspect() checks under the deadline before libpng
// runs (libpng itself, stopped between rows, still inflates the rest).
BOOST_AUTO_TEST_CASE(decode_time_is_bounded) {
  Magick::Image baseline = pattern(6000, 4500);
  baseline.quality(98);
  struct Case {
    const char* what;
    std::string bytes;
  };
  const Case cases[] = {
      {"png whose rows inflate slowly", png_craft::png_with_slow_rows(256, 512, 40)},
      {"baseline jpeg", encode(baseline, Format::jpeg)},
      {"gif of 100 frames", gif_frames_repeated(animation(Format::gif, 4, 500, 500), 25)},
  };
  using ms = std::chrono::milliseconds;
  auto timed = [](const Case& c, ms budget) {
    Limits limits;
    limits.decode_timeout = budget;
    const auto start = std::chrono::steady_clock::now();
    const Outcome out = try_inspect(c.bytes, limits);
    return std::pair{out, std::chrono::duration_cast<ms>(std::chrono::steady_clock::now() - start)};
  };
  for (const auto& c : cases) {
    BOOST_TEST_CONTEXT(c.what) {
      const auto [whole, full] = timed(c, std::chrono::seconds(60));
      BOOST_TEST(reason_name(whole.reason) == "accepted");
      BOOST_TEST_INFO(whole.message);
      const ms budget = std::max(full / 10, ms(1));
      const auto [cut, took] = timed(c, budget);
      BOOST_TEST_MESSAGE(c.what << ": " << full.count() << " ms whole, " << took.count() << " ms under a budget of "
                                << budget.count() << " ms");
      BOOST_TEST(reason_name(cut.reason) == "invalid_image");
      BOOST_TEST(cut.message == "took too long to decode (over " + std::to_string(budget.count()) + " ms)");
      BOOST_TEST(full.count() >= 100);  // long enough to tell
      BOOST_TEST(took.count() < full.count() / 2);
    }
  }
}

// Where the coder cannot be stopped (libwebp, and libjpeg reading every scan of a
// progressive file, run before the first row is reported), the result of a decode that
// ended past the deadline is refused all the same.
BOOST_AUTO_TEST_CASE(decode_past_the_deadline_is_refused_where_the_coder_cannot_stop) {
  Magick::Image progressive = pattern(1500, 1000);
  progressive.interlaceType(Magick::PlaneInterlace);
  const std::pair<const char*, std::string> cases[] = {
      {"webp", image_bytes(Format::webp, 1500, 1000)},
      {"progressive jpeg", encode(progressive, Format::jpeg)},
  };
  for (const auto& [what, bytes] : cases) {
    BOOST_TEST_CONTEXT(what) {
      Limits limits;
      limits.decode_timeout = std::chrono::milliseconds(1);
      const auto out = try_inspect(bytes, limits);
      BOOST_TEST(reason_name(out.reason) == "invalid_image");
      BOOST_TEST(out.message == "took too long to decode (over 1 ms)");
    }
  }
}

BOOST_AUTO_TEST_CASE(read_forced_never_redetects_the_format) {
  // Each of these is a valid image of another format: if ImageMagick looked at the
  // magic bytes instead of the coder it was given, the read would succeed.
  struct Case {
    Format actual, forced;
  };
  const Case cases[] = {
      {Format::gif, Format::png},  {Format::png, Format::jpeg}, {Format::jpeg, Format::gif},
      {Format::webp, Format::png}, {Format::png, Format::webp},
  };
  for (const auto& c : cases) {
    BOOST_TEST_CONTEXT(name(c.actual) << " read as " << name(c.forced)) {
      const std::string bytes = image_bytes(c.actual, 32, 32);
      detail::Deadline deadline(std::chrono::seconds(10));
      BOOST_CHECK_THROW(detail::read_forced(bytes, c.forced, {}, deadline), Rejection);
      detail::Deadline again(std::chrono::seconds(10));
      BOOST_CHECK_NO_THROW(detail::read_forced(bytes, c.actual, {}, again));
    }
  }
}

// ---- thumbnails ----------------------------------------------------------------------------

BOOST_AUTO_TEST_CASE(thumbnail_fits_keeps_aspect_and_format) {
  struct Case {
    Format f;
    std::uint32_t w, h;
  };
  const Case cases[] = {
      {Format::jpeg, 1920, 1080}, {Format::jpeg, 1080, 1920}, {Format::jpeg, 2000, 1500}, {Format::jpeg, 100, 50},
      {Format::png, 800, 600},    {Format::png, 64, 48},      {Format::png, 1000, 10},    {Format::gif, 640, 480},
      {Format::gif, 50, 40},      {Format::webp, 640, 360},   {Format::webp, 320, 320},   {Format::jpeg, 321, 1},
  };
  for (const auto& c : cases) {
    BOOST_TEST_CONTEXT(name(c.f) << " " << c.w << "x" << c.h) {
      const std::string thumb = make_thumbnail(inspect(image_bytes(c.f, c.w, c.h), Limits{}), 320);
      BOOST_TEST((sniff(thumb) == c.f));
      const Magick::Image t = decode(thumb);
      const auto [tw, th] = imghost::fit_within(c.w, c.h, 320);
      BOOST_TEST(t.columns() == tw);
      BOOST_TEST(t.rows() == th);
      BOOST_TEST(t.columns() <= std::max(c.w, 320u));
    }
  }
}

BOOST_AUTO_TEST_CASE(thumbnail_of_an_animation_is_one_frame) {
  for (Format f : {Format::gif, Format::webp}) {
    BOOST_TEST_CONTEXT(name(f)) {
      const Inspected in = inspect(animation(f, 5, 400, 300), Limits{});
      BOOST_TEST(in.frames == 5u);
      const std::string thumb = make_thumbnail(in, 320);
      BOOST_TEST((sniff(thumb) == f));
      BOOST_TEST(frames_in(thumb) == 1u);
      const Magick::Image t = decode(thumb);
      BOOST_TEST(t.columns() == 320u);
      BOOST_TEST(t.rows() == 240u);
    }
  }
}

BOOST_AUTO_TEST_CASE(thumbnail_puts_a_partial_first_frame_on_its_canvas) {
  Magick::Image frame = pattern(50, 40);
  frame.page(Magick::Geometry(400, 300, 100, 80));
  frame.magick("GIF");
  const std::string gif = encode(frame, Format::gif);
  const Inspected in = inspect(gif, Limits{});
  BOOST_TEST(in.width == 400u);
  BOOST_TEST(in.height == 300u);
  const Magick::Image t = decode(make_thumbnail(in, 320));
  BOOST_TEST(t.columns() == 320u);
  BOOST_TEST(t.rows() == 240u);
}

BOOST_AUTO_TEST_CASE(gif_thumbnail_keeps_palette_and_transparency) {
  Magick::Image img = pattern(400, 200, true);  // alpha = x % 256: clear at x = 0
  img.magick("GIF");
  const Inspected in = inspect(encode(img, Format::gif), Limits{});
  const Magick::Image t = decode(make_thumbnail(in, 320));
  BOOST_TEST(t.columns() == 320u);
  BOOST_TEST(t.rows() == 160u);
  BOOST_TEST(t.matte());
  auto opacity = [&](long x, long y) {
    MagickCore::PixelPacket p{};
    MagickCore::ExceptionInfo* e = MagickCore::AcquireExceptionInfo();
    MagickCore::GetOneVirtualPixel(t.constImage(), x, y, &p, e);
    MagickCore::DestroyExceptionInfo(e);
    return p.opacity;  // ImageMagick 6: 0 is opaque
  };
  using MagickCore::Quantum;  // for TransparentOpacity
  BOOST_TEST(opacity(0, 80) == TransparentOpacity);
  BOOST_TEST(opacity(200, 80) == OpaqueOpacity);  // source x 250: alpha 250
  BOOST_TEST(t.totalColors() <= 256u);
}

BOOST_AUTO_TEST_CASE(thumbnail_strips_metadata_and_follows_orientation) {
  Magick::Image img = pattern(600, 400);
  img.comment("secret comment GPS 48.8584N");
  const std::string exif = "Exif\0\0II*\0\x08\0\0\0\x01\0\x12\x01\x03\0\x01\0\0\0\x06\0\0\0\0\0\0\0"s;
  img.profile("EXIF", Magick::Blob(exif.data(), exif.size()));
  img.orientation(Magick::RightTopOrientation);  // EXIF 6: display rotated 90 degrees
  const std::string jpeg = encode(img, Format::jpeg);
  BOOST_TEST_REQUIRE(jpeg.find("secret comment") != std::string::npos);

  const Inspected in = inspect(jpeg, Limits{});
  BOOST_TEST(in.width == 600u);  // stored as is: the header's size
  BOOST_TEST(in.height == 400u);
  const std::string thumb = make_thumbnail(in, 320);
  BOOST_TEST(thumb.find("secret comment") == std::string::npos);
  BOOST_TEST(thumb.find("Exif") == std::string::npos);
  const Magick::Image t = decode(thumb);
  BOOST_TEST(t.columns() == 213u);  // 320x213, turned upright
  BOOST_TEST(t.rows() == 320u);
}

BOOST_AUTO_TEST_CASE(thumbnail_from_bytes_matches_inspect_then_make) {
  const std::string png = image_bytes(Format::png, 500, 250);
  const std::string thumb = thumbnail_from_bytes(png, Limits{});
  const Magick::Image t = decode(thumb);
  BOOST_TEST(t.columns() == 320u);
  BOOST_TEST(t.rows() == 160u);
  BOOST_CHECK_THROW(thumbnail_from_bytes("not an image", Limits{}), Rejection);
}

// A palette PNG (a graphic) keeps its palette in its thumbnail: nearest neighbour picks
// original pixels, and the thumbnail is written as a palette PNG (colour type 3) whose
// colours are the original's.
BOOST_AUTO_TEST_CASE(palette_png_thumbnail_is_a_palette_png_of_the_original_colours) {
  Magick::Image img = pattern(400, 300);
  img.quantizeColors(16);
  img.quantizeDither(false);
  img.quantize();
  img.type(Magick::PaletteType);
  const std::string png = encode(img, Format::png);
  BOOST_TEST_REQUIRE(png.substr(12, 4) == "IHDR");
  BOOST_TEST_REQUIRE(static_cast<int>(png[25]) == 3);  // the original is a palette PNG
  const Inspected in = inspect(png, Limits{});
  const std::string thumb = make_thumbnail(in, 320);
  BOOST_TEST(static_cast<int>(thumb[25]) == 3);  // so is its thumbnail
  const Magick::Image t = decode(thumb);
  BOOST_TEST(t.columns() == 320u);
  BOOST_TEST(t.rows() == 240u);
  std::set<std::string> original_colours;
  const Magick::Image o = decode(png);
  for (std::size_t y = 0; y < 300; y += 7)
    for (std::size_t x = 0; x < 400; x += 3) original_colours.insert(std::string(o.pixelColor(x, y)));
  for (std::size_t y = 0; y < 240; y += 11)
    for (std::size_t x = 0; x < 320; x += 13)
      BOOST_TEST(original_colours.count(std::string(t.pixelColor(x, y))) == 1u, "pixel " << x << "," << y);
}

BOOST_AUTO_TEST_CASE(encode_png_round_trips_palette_rgb_and_rgba) {
  for (const auto kind : {Raster::Kind::palette, Raster::Kind::rgb, Raster::Kind::rgba}) {
    BOOST_TEST_CONTEXT("kind " << static_cast<int>(kind)) {
      Raster r;
      r.kind = kind;
      r.width = 37;
      r.height = 11;
      const std::size_t bpp = kind == Raster::Kind::palette ? 1 : kind == Raster::Kind::rgb ? 3 : 4;
      if (kind == Raster::Kind::palette) r.palette = {{10, 20, 30, 255}, {200, 100, 50, 0}, {1, 2, 3, 128}};
      for (std::size_t i = 0; i < std::size_t{r.width} * r.height * bpp; ++i)
        r.pixels.push_back(static_cast<std::uint8_t>(kind == Raster::Kind::palette ? (i * 7 / 5) % 3 : i * 37 % 251));
      const std::string png = encode_png(r);
      BOOST_TEST((sniff(png) == Format::png));
      // The colour type in IHDR: indexes stay indexes, RGB is not given an alpha channel.
      BOOST_TEST(static_cast<int>(png.at(25)) == (kind == Raster::Kind::palette ? 3 : bpp == 3 ? 2 : 6));
      if (kind == Raster::Kind::palette) {
        // PLTE holds the palette's colours in order, tRNS the alphas up to the last
        // translucent entry.
        const auto chunk_data = [&](std::string_view type) {
          const std::size_t at = png.find(type);
          BOOST_TEST_REQUIRE(at != std::string::npos, type);
          const auto length = static_cast<std::size_t>(static_cast<unsigned char>(png[at - 2]) << 8 |
                                                       static_cast<unsigned char>(png[at - 1]));
          return png.substr(at + 4, length);
        };
        BOOST_TEST(chunk_data("PLTE") == std::string("\x0a\x14\x1e\xc8\x64\x32\x01\x02\x03", 9));
        BOOST_TEST(chunk_data("tRNS") == std::string("\xff\x00\x80", 3));
      }
      Magick::Image d = decode(png);
      BOOST_TEST_REQUIRE(d.columns() == r.width);
      BOOST_TEST_REQUIRE(d.rows() == r.height);
      std::vector<std::uint8_t> px(std::size_t{r.width} * r.height * 4);
      d.write(0, 0, r.width, r.height, "RGBA", Magick::CharPixel, px.data());
      for (std::size_t i = 0; i < std::size_t{r.width} * r.height; ++i) {
        std::array<std::uint8_t, 4> want{};
        if (kind == Raster::Kind::palette)
          want = r.palette[r.pixels[i]];
        else
          want = {r.pixels[i * bpp], r.pixels[i * bpp + 1], r.pixels[i * bpp + 2],
                  bpp == 4 ? r.pixels[i * bpp + 3] : std::uint8_t{255}};
        const std::array<std::uint8_t, 4> got{px[i * 4], px[i * 4 + 1], px[i * 4 + 2], px[i * 4 + 3]};
        if (want[3] == 0) {
          BOOST_TEST(got[3] == 0, "pixel " << i << " transparent");
        } else {
          BOOST_TEST((got == want), "pixel " << i);
        }
      }
    }
  }
  Raster bad;
  bad.kind = Raster::Kind::palette;
  bad.width = bad.height = 1;
  bad.pixels = {3};
  bad.palette = {{0, 0, 0, 255}};
  BOOST_CHECK_THROW(encode_png(bad), std::invalid_argument);  // index past the palette
  bad.pixels = {0, 0};
  BOOST_CHECK_THROW(encode_png(bad), std::invalid_argument);  // pixel count
}

// A small image that already fits is its own thumbnail; a bigger file or a bigger image
// is not.
BOOST_AUTO_TEST_CASE(small_image_that_fits_is_its_own_thumbnail) {
  const std::string gif = animation(Format::gif, 3, 200, 150);
  BOOST_TEST_REQUIRE(gif.size() <= kMaxOriginalAsThumbnailBytes);
  BOOST_TEST(thumbnail_of(inspect(gif, Limits{}), gif, 320) == gif);
  BOOST_TEST(thumbnail_from_bytes(gif, Limits{}) == gif);
  const std::string big = image_bytes(Format::png, 400, 300);
  BOOST_TEST(thumbnail_of(inspect(big, Limits{}), big, 320) != big);
  const std::string small = image_bytes(Format::jpeg, 100, 80);
  const std::string padded = small + std::string(kMaxOriginalAsThumbnailBytes, '\0');  // too heavy
  const std::string thumb = thumbnail_of(inspect(small, Limits{}), padded, 320);
  BOOST_TEST(thumb != padded);
  BOOST_TEST(decode(thumb).columns() == 100u);
}

BOOST_AUTO_TEST_CASE(make_thumbnail_needs_a_decoded_image) {
  Inspected empty{Format::png, 10, 10, 1, nullptr};
  BOOST_CHECK_THROW(make_thumbnail(empty, 320), std::runtime_error);
}

// Found by fuzz_inspect: an animated WebP whose frame "decodes" without pixels.  Scaled,
// it became an empty image, and ImageMagick's WebP encoder aborted the whole process on
// it.  It must be refused at upload, and a thumbnail of an empty frame must throw.
BOOST_AUTO_TEST_CASE(webp_frame_without_pixels_is_invalid_not_a_crash) {
  static const unsigned char kBytes[] = {
      0x52, 0x49, 0x46, 0x46, 0x0c, 0x01, 0x00, 0x00, 0x57, 0x45, 0x42, 0x50, 0x56, 0x50, 0x38, 0x58, 0x0a, 0x00, 0x00,
      0x00, 0x02, 0x00, 0x00, 0x00, 0x07, 0x04, 0x00, 0x05, 0x00, 0x00, 0x41, 0x4e, 0x49, 0x4d, 0x06, 0x00, 0x00, 0x00,
      0xff, 0xff, 0xff, 0xff, 0x00, 0x00, 0x41, 0x4e, 0x4d, 0x46, 0x48, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
      0x00, 0x07, 0x00, 0x00, 0x05, 0x00, 0x00, 0x64, 0x00, 0x00, 0x02, 0x56, 0x50, 0x38, 0x20, 0x30, 0x00, 0x00, 0x00,
      0xd0, 0x01, 0x00, 0x9d, 0x01, 0x2a, 0x08, 0x00, 0x06, 0x00, 0x02, 0x00, 0x34, 0x25, 0xa0, 0x02, 0x74, 0xba, 0x01,
      0xf8, 0x00, 0x03, 0xb0, 0x00, 0xfe, 0xf0, 0xc4, 0x0b, 0xff, 0x20, 0xb9, 0x61, 0x75, 0xc8, 0xd7, 0xff, 0x20, 0x3f,
      0xe4, 0x07, 0xfc, 0x80, 0xff, 0xf8, 0xf2, 0x00, 0x00, 0x00, 0x41, 0x4e, 0x4d, 0x46, 0x44, 0x00, 0x00, 0x00, 0x00,
      0x00, 0x00, 0x00, 0x00, 0x00, 0x07, 0x00, 0x00, 0x05, 0x00, 0x00, 0x64, 0x00, 0x00, 0x00, 0x56, 0x50, 0x34, 0x20,
      0x2c, 0x00, 0x00, 0x00, 0x94, 0x01, 0x00, 0x9d, 0x01, 0x2a, 0x08, 0x00, 0x06, 0x00, 0x00, 0x00, 0x34, 0x25, 0xa0,
      0x02, 0x74, 0xba, 0x00, 0x03, 0x98, 0x00, 0xfe, 0xf9, 0x93, 0x6f, 0xff, 0x90, 0x1f, 0xff, 0x90, 0x1f, 0xff, 0x90,
      0x1f, 0xff, 0x20, 0x3f, 0xe2, 0x17, 0x7b, 0x20, 0x30, 0x00, 0x41, 0x4e, 0x4d, 0x46, 0x44, 0x00, 0x00, 0x00, 0x00,
      0x00, 0x00, 0x00, 0x00, 0x00, 0x07, 0x00, 0x00, 0x05, 0x00, 0x00, 0x64, 0x00, 0x00, 0x00, 0x56, 0x50, 0x38, 0x20,
      0x2c, 0x00, 0x00, 0x00, 0xd4, 0x01, 0x00, 0x9d, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
      0x00, 0x00, 0x00, 0x00, 0x00, 0x01, 0x2a, 0x08, 0x00, 0x06, 0x00, 0x00, 0x00, 0x34, 0x25, 0xa0, 0x02, 0x74, 0xba,
      0x01, 0xf8, 0x00, 0x03, 0xb0, 0x00, 0xfe, 0xf0, 0xe8, 0xf7, 0xff, 0x20, 0xb9, 0x61, 0x75, 0xc8, 0xd7, 0xfe, 0x4c,
      0x0a, 0xe6, 0xb9, 0xf9, 0xa8, 0x00, 0x00, 0x52, 0x49, 0x46, 0x46, 0x3c, 0x00, 0x00, 0x00, 0x57, 0x45, 0x42, 0x50,
      0x56, 0x50, 0x34, 0x20, 0xff, 0x20, 0xb9, 0x61, 0x75, 0xc8, 0xd7, 0xff, 0x20, 0xf2, 0x00, 0x00, 0x00,
  };
  const std::string bytes(reinterpret_cast<const char*>(kBytes), sizeof kBytes);
  const Limits limits;
  try {
    inspect(bytes, limits);
    BOOST_TEST(false, "accepted");
  } catch (const Rejection& r) { BOOST_TEST((r.reason == Rejection::Reason::invalid_image)); }
}

BOOST_AUTO_TEST_SUITE_END()
