// image::png_for_decoder and image::find_png_bomb, table-driven, on PNGs put together by
// hand (png_craft.hpp): real zlib bombs (1 GiB of zeros in 1 MiB of stream), a small but
// complete ICC profile, and broken structures.
#include "image/png_chunks.hpp"

#include <boost/test/unit_test.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "png_craft.hpp"

namespace img = imghost::image;
using namespace png_craft;
using namespace std::string_literals;

namespace {

constexpr std::uint32_t kGiB = 1024;  // in MiB, for zlib_bomb

std::string bomb_message(const std::string& type) {
  return "has " + std::string(type[0] == 'i' ? "an " : "a ") + type +
         " chunk that inflates to over 16 MiB (a decompression bomb)";
}

}  // namespace

BOOST_AUTO_TEST_SUITE(png_chunks)

BOOST_AUTO_TEST_CASE(bombs_in_compressed_chunks_are_found) {
  const std::string png = tiny_png();
  const std::string gib = zlib_bomb(kGiB);
  const std::string icc = small_icc_profile();
  std::string bad_method = ztxt(gib);
  bad_method[8 + 7 + 1] = '\1';  // the method byte after "Comment\0": libpng would refuse it, a viewer may not
  bad_method = chunk("zTXt", bad_method.substr(8, bad_method.size() - 12));
  std::string corrupt = gib;
  corrupt[0] = '\0';  // not a zlib header: nothing inflates
  std::string many;
  for (int i = 0; i < 5; ++i) many += ztxt(zlib_bomb(15));

  struct Case {
    const char* what;
    std::string bytes;
    std::optional<std::string> found;
  };
  const Case cases[] = {
      {"zTXt of 1 GiB", after_ihdr(png, ztxt(gib)), bomb_message("zTXt")},
      {"compressed iTXt of 1 GiB", after_ihdr(png, itxt(gib, true)), bomb_message("iTXt")},
      {"iCCP of 1 GiB, no profile header", after_ihdr(png, iccp(gib)), bomb_message("iCCP")},
      {"iCCP of 1 GiB behind a valid profile header", after_ihdr(png, iccp(zlib_bomb(kGiB, icc_header(1u << 30, 0)))),
       bomb_message("iCCP")},
      {"iCCP whose header claims 1 GiB, 132 bytes long", after_ihdr(png, iccp(zlib_of(icc_header(1u << 30, 0)))),
       "has an iCCP chunk whose profile claims 1073741824 bytes, over the limit of 16 MiB (a decompression bomb)"},
      {"zTXt bomb after IDAT", png.substr(0, png.size() - 12) + ztxt(gib) + png.substr(png.size() - 12),
       bomb_message("zTXt")},
      {"zTXt bomb with a bad CRC", after_ihdr(png, chunk("zTXt", "a\0\0"s + gib, false)), bomb_message("zTXt")},
      {"zTXt bomb with an unknown method byte", after_ihdr(png, bad_method), bomb_message("zTXt")},
      {"zTXt bomb with a keyword of 200 bytes", after_ihdr(png, ztxt(gib, std::string(200, 'k'))),
       bomb_message("zTXt")},
      {"zTXt bomb cut in half", after_ihdr(png, ztxt(gib.substr(0, gib.size() / 2))), bomb_message("zTXt")},
      {"the second of two zTXt", after_ihdr(png, ztxt(zlib_of("hello")) + ztxt(gib)), bomb_message("zTXt")},
      {"five zTXt of 15 MiB (75 MiB together)", after_ihdr(png, many),
       "has compressed chunks that inflate to over 64 MiB together (a decompression bomb)"},
      {"iCCP of 16 MiB exactly: not over", after_ihdr(png, iccp(zlib_bomb(16))), std::nullopt},
      {"a real ICC profile", after_ihdr(png, iccp(zlib_of(icc))), std::nullopt},
      {"zTXt and compressed iTXt of ordinary text",
       after_ihdr(png, ztxt(zlib_of("a comment")) + itxt(zlib_of("<x:xmpmeta/>"), true)), std::nullopt},
      {"uncompressed iTXt holding a bomb's bytes", after_ihdr(png, itxt(gib, false)), std::nullopt},
      {"tEXt holding a bomb's bytes", after_ihdr(png, chunk("tEXt", "Comment\0"s + gib)), std::nullopt},
      {"an unknown chunk holding a bomb's bytes", after_ihdr(png, chunk("prVt", "a\0\0"s + gib)), std::nullopt},
      {"a corrupt zlib stream", after_ihdr(png, ztxt(corrupt)), std::nullopt},
      {"zTXt bomb after IEND", png + ztxt(gib), std::nullopt},
      {"zTXt bomb after a chunk that runs past the end", after_ihdr(png, be32(0x7FFFFFF0) + "tEXtabc" + ztxt(gib)),
       std::nullopt},
      {"no compressed chunk", png, std::nullopt},
      {"not a PNG", "GIF89a" + ztxt(gib), std::nullopt},
      {"empty", "", std::nullopt},
  };
  for (const Case& c : cases) {
    BOOST_TEST_CONTEXT(c.what) {
      const auto found = img::find_png_bomb(c.bytes);
      BOOST_TEST(found.value_or("(none)") == c.found.value_or("(none)"));
    }
  }
}

BOOST_AUTO_TEST_CASE(caps_are_per_chunk_and_per_file) {
  const std::string png = tiny_png();
  const img::InflateCaps caps{1000, 1500};
  struct Case {
    const char* what;
    std::string chunks;
    std::optional<std::string> found;
  };
  const Case cases[] = {
      {"1000 bytes", ztxt(zlib_of(std::string(1000, 'a'))), std::nullopt},
      {"1001 bytes", ztxt(zlib_of(std::string(1001, 'a'))),
       "has a zTXt chunk that inflates to over 1000 bytes (a decompression bomb)"},
      {"750 + 750 bytes", ztxt(zlib_of(std::string(750, 'a'))) + iccp(zlib_of(std::string(750, '\0'))), std::nullopt},
      {"750 + 751 bytes", ztxt(zlib_of(std::string(750, 'a'))) + itxt(zlib_of(std::string(751, 'b')), true),
       "has compressed chunks that inflate to over 1500 bytes together (a decompression bomb)"},
      // A file full of small chunks stops at the file's cap: the 16th of 10,000.
      {"10,000 zTXt",
       [] {
         std::string s;
         const std::string one = ztxt(zlib_bomb(0, std::string(100, 'z')));
         for (int i = 0; i < 10000; ++i) s += one;
         return s;
       }(),
       "has compressed chunks that inflate to over 1500 bytes together (a decompression bomb)"},
      {"iCCP claiming 1001 bytes", iccp(zlib_of(icc_header(1001, 0))),
       "has an iCCP chunk whose profile claims 1001 bytes, over the limit of 1000 bytes (a decompression bomb)"},
  };
  for (const Case& c : cases) {
    BOOST_TEST_CONTEXT(c.what) {
      const auto found = img::find_png_bomb(after_ihdr(png, c.chunks), caps);
      BOOST_TEST(found.value_or("(none)") == c.found.value_or("(none)"));
    }
  }
}

BOOST_AUTO_TEST_CASE(decoder_gets_critical_and_rendering_chunks_only) {
  const std::string base = tiny_png();
  const std::string ihdr = base.substr(8, 25);
  const std::string idat = base.substr(33, base.size() - 33 - 12);
  const std::string iend = chunk("IEND", "");
  const std::string profile = iccp(zlib_of(small_icc_profile()));
  const std::string gama = chunk("gAMA", be32(45455));
  const std::string trns = chunk("tRNS", "\0\0\0\0\0\0"s);
  const std::string phys = chunk("pHYs", be32(2835) + be32(2835) + "\1"s);
  const std::string unknown_critical = chunk("ABCD", "x");
  const std::string text = chunk("tEXt", "Comment\0hi"s) + ztxt(zlib_bomb(kGiB)) + itxt(zlib_of("x"), true) +
                           chunk("tIME", "\x07\xE8\x01\x01\x00\x00\x00"s) + chunk("eXIf", "MM\0*\0\0\0\x08\0\0"s) +
                           chunk("caBX", "c2pa") + chunk("vpAg", "\0\0\0\1\0\0\0\1\0"s);

  struct Case {
    const char* what;
    std::string bytes;
    std::string expected;
  };
  const Case cases[] = {
      {"nothing to drop", base, base},
      {"text, time, EXIF, private chunks dropped; colour, transparency, density kept",
       kSignature + ihdr + text + profile + gama + trns + text + idat + text + phys + unknown_critical + iend,
       kSignature + ihdr + profile + gama + trns + idat + phys + unknown_critical + iend},
      {"bytes after IEND dropped", base + "<html>" + ztxt(zlib_bomb(kGiB)), base},
      {"ends where a chunk runs past the end", kSignature + ihdr + gama + be32(1000) + "tEXtabc" + idat + iend,
       kSignature + ihdr + gama},
      {"ends at a type that is not four letters", kSignature + ihdr + chunk("zT4t", "a") + idat + iend,
       kSignature + ihdr},
      {"ends at a length over 2^31 - 1", kSignature + ihdr + be32(0x80000000) + "IDAT" + idat + iend,
       kSignature + ihdr},
      {"ends at a chunk without its CRC", kSignature + ihdr + idat.substr(0, idat.size() - 4), kSignature + ihdr},
      {"no IEND", kSignature + ihdr + text + idat, kSignature + ihdr + idat},
      {"signature only", kSignature, kSignature},
      {"not a PNG: unchanged", "GIF89a" + text, "GIF89a" + text},
      {"empty: unchanged", "", ""},
  };
  for (const Case& c : cases) {
    BOOST_TEST_CONTEXT(c.what) {
      const std::string out = img::png_for_decoder(c.bytes);
      BOOST_TEST((out == c.expected), "sizes " << out.size() << " and " << c.expected.size());
      BOOST_TEST((img::png_for_decoder(out) == out), "idempotent");
      BOOST_TEST(!img::find_png_bomb(out).has_value());
    }
  }
}

// Every prefix of a file full of compressed chunks, and odd chunk layouts: no crash (the
// sanitizer build watches), and answers of the promised shape.  Small caps keep the
// thousands of calls fast; they change how far a stream is inflated, not how it is found.
BOOST_AUTO_TEST_CASE(truncated_and_odd_inputs_never_crash) {
  const std::string png = tiny_png();
  const std::string bomb = zlib_bomb(1);
  const std::string full =
      after_ihdr(png, iccp(zlib_of(small_icc_profile())) + ztxt(bomb) + itxt(bomb, true) + chunk("tEXt", "a\0b"s));
  std::vector<std::string> inputs;
  for (std::size_t n = 0; n <= full.size(); ++n) inputs.push_back(full.substr(0, n));
  for (const std::string& odd :
       {chunk("iCCP", ""), chunk("iCCP", "name"), chunk("iCCP", "name\0"s), chunk("zTXt", "\0"s),
        chunk("zTXt", "k\0\0"s), chunk("iTXt", "k\0"s), chunk("iTXt", "k\0\1"s), chunk("iTXt", "k\0\1\0"s),
        chunk("iTXt", "k\0\1\0en"s), chunk("iTXt", "k\0\1\0en\0"s), chunk("iTXt", "k\0\1\0en\0tr"s),
        chunk("iTXt", "k\0\1\0en\0tr\0"s), chunk("iTXt", "k\0\2\7\0\0"s + bomb), chunk("iCCP", "n\0\0\x78"s),
        chunk("zTXt", "k\0\0\x78\xDA"s), be32(0xFFFFFFFF) + "zTXt", be32(0) + "zTXt" + be32(0), "\0\0\0\5\0\0\0\0"s})
    inputs.push_back(after_ihdr(png, odd));

  const img::InflateCaps caps{4096, 8192};
  for (const std::string& in : inputs) {
    std::string out;
    std::optional<std::string> found;
    BOOST_CHECK_NO_THROW(out = img::png_for_decoder(in));
    BOOST_CHECK_NO_THROW(found = img::find_png_bomb(in, caps));
    if (out.size() > in.size() || (found && !found->starts_with("has "))) {
      BOOST_ERROR(in.size() << " bytes: " << out.size() << " out, found " << found.value_or("(none)"));
      break;
    }
  }
}

BOOST_AUTO_TEST_CASE(image_data_size_follows_ihdr) {
  // IHDR's data: width, height, bit depth, colour type, compression, filter, interlace.
  auto png = [](std::uint32_t w, std::uint32_t h, int depth, int type, int interlace = 0) {
    return kSignature + chunk("IHDR", be32(w) + be32(h) + static_cast<char>(depth) + static_cast<char>(type) + "\0\0"s +
                                          static_cast<char>(interlace));
  };
  struct Case {
    const char* what;
    std::string bytes;
    std::optional<std::uint64_t> size;
  };
  const Case cases[] = {
      {"4x3 RGB", png(4, 3, 8, 2), 3 * (1 + 12)},
      {"10x3 gray, 1 bit", png(10, 3, 1, 0), 3 * (1 + 2)},
      {"3x3 palette, 4 bits", png(3, 3, 4, 3), 3 * (1 + 2)},
      {"5x2 RGBA, 16 bits", png(5, 2, 16, 6), 2 * (1 + 40)},
      {"7x1 gray and alpha", png(7, 1, 8, 4), 1 + 14},
      // Adam7 passes of 8x8: 1x1, 1x1, 2x1, 2x2, 4x2, 4x4, 8x4 pixels.
      {"8x8 RGB, interlaced", png(8, 8, 8, 2, 1), 4 + 4 + 7 + 2 * 7 + 2 * 13 + 4 * 13 + 4 * 25},
      {"1x1 RGB, interlaced: one pass", png(1, 1, 8, 2, 1), 4},
      {"20000x20000 RGBA, 16 bits", png(20000, 20000, 16, 6), 20000ull * (1 + 160000)},
      {"RGB of 4 bits", png(4, 3, 4, 2), std::nullopt},
      {"colour type 5", png(4, 3, 8, 5), std::nullopt},
      {"interlace method 2", png(4, 3, 8, 2, 2), std::nullopt},
      {"width 0", png(0, 3, 8, 2), std::nullopt},
      {"width 2^31", png(0x80000000, 3, 8, 2), std::nullopt},
      {"IHDR not first", kSignature + chunk("gAMA", be32(45455)) + png(4, 3, 8, 2).substr(8), std::nullopt},
      {"IHDR cut short", png(4, 3, 8, 2).substr(0, 28), std::nullopt},
      {"not a PNG", "GIF89a" + png(4, 3, 8, 2).substr(6), std::nullopt},
  };
  for (const Case& c : cases) {
    BOOST_TEST_CONTEXT(c.what) {
      const auto size = img::png_image_data_size(c.bytes);
      BOOST_TEST(size.has_value() == c.size.has_value());
      if (size && c.size) BOOST_TEST(*size == *c.size);
    }
  }
}

// Image data that inflates past the pixels: libpng would inflate all of it, outside any
// deadline.  The check stops one byte past them, or when told to.
BOOST_AUTO_TEST_CASE(image_data_past_the_pixels_is_found) {
  const std::string ihdr = chunk("IHDR", be32(4) + be32(3) + "\x08\x02\x00\x00\x00"s);
  std::string rows;
  for (int y = 0; y < 3; ++y) rows += "\0"s + std::string(12, static_cast<char>(y));
  auto png = [&](const std::vector<std::string>& idat) {
    std::string out = kSignature + ihdr;
    for (const std::string& data : idat) out += chunk("IDAT", data);
    return out + chunk("IEND", "");
  };
  const std::string exact = zlib_of(rows);
  const std::string one_more = zlib_of(rows + "x");
  const std::string gib_more = zlib_bomb(1024, rows);
  // Rows, then 5 MB of empty stored blocks (they inflate to nothing), then the end.
  std::string stall = "\x78\x01"s + "\x00"s + static_cast<char>(39) + '\0' + static_cast<char>(~39) + '\xFF' + rows;
  for (int i = 0; i < 1000000; ++i) stall += "\x00\x00\x00\xFF\xFF"s;
  stall += "\x01\x00\x00\xFF\xFF"s + be32(adler_of(rows));
  using Check = img::ImageDataCheck;
  struct Case {
    const char* what;
    std::string bytes;
    Check expected;
  };
  const Case cases[] = {
      {"exactly the pixels", png({exact}), Check::fits},
      {"exactly the pixels, in three IDAT", png({exact.substr(0, 5), exact.substr(5, 7), exact.substr(12)}),
       Check::fits},
      {"one byte more", png({one_more}), Check::too_much},
      {"1 GiB more", png({gib_more}), Check::too_much},
      {"1 GiB more, in three IDAT", png({gib_more.substr(0, 100), gib_more.substr(100, 1000), gib_more.substr(1100)}),
       Check::too_much},
      {"fewer rows", png({zlib_of(rows.substr(0, 26))}), Check::fits},
      {"a corrupt stream", png({"\0\0"s + exact.substr(2)}), Check::fits},
      {"5 MB that inflate to nothing more", png({stall}), Check::fits},
      {"no IDAT", kSignature + ihdr + chunk("IEND", ""), Check::fits},
      {"an empty IDAT", png({""}), Check::fits},
  };
  for (const Case& c : cases) {
    BOOST_TEST_CONTEXT(c.what) {
      BOOST_TEST((img::check_png_image_data(c.bytes, 39, [] { return true; }) == c.expected));
    }
  }
  // Asked often enough to stop in time, also while input inflates to nothing.
  for (const std::string& bytes : {png({gib_more}), png({stall})}) {
    int asked = 0;
    BOOST_TEST((img::check_png_image_data(bytes, 1u << 31, [&] { return ++asked < 3; }) == Check::stopped));
    BOOST_TEST(asked == 3);
  }
}

// The bound holds for a bomb (zlib's best ratio on zeros is close to it) and counts every
// IDAT chunk, and only those.
BOOST_AUTO_TEST_CASE(image_data_bound_is_what_deflate_can_reach) {
  const std::string ihdr = chunk("IHDR", be32(4) + be32(3) + "\x08\x02\x00\x00\x00"s);
  const std::string bomb = zlib_bomb(64);
  const std::string png = kSignature + ihdr + chunk("IDAT", bomb.substr(0, 10)) + chunk("tEXt", "k\0"s + bomb) +
                          chunk("IDAT", bomb.substr(10)) + chunk("IEND", "");
  BOOST_TEST(img::png_image_data_bound(png) == bomb.size() * 1032);
  BOOST_TEST(img::png_image_data_bound(png) > (64u << 20));
  BOOST_TEST(img::png_image_data_bound(png) < (66u << 20));  // tight: zlib gets close to 1032:1
  BOOST_TEST(img::png_image_data_bound(kSignature + ihdr + chunk("IEND", "")) == 0u);
  BOOST_TEST(img::png_image_data_bound("GIF89a") == 0u);
}

BOOST_AUTO_TEST_CASE(rendering_chunks_are_an_allow_list) {
  for (const char* kept :
       {"tRNS", "gAMA", "cHRM", "sRGB", "iCCP", "sBIT", "pHYs", "bKGD", "cICP", "mDCv", "cLLi", "acTL", "fcTL", "fdAT"})
    BOOST_TEST(img::is_png_rendering_chunk(kept), kept);
  for (const char* dropped :
       {"tEXt", "zTXt", "iTXt", "tIME", "eXIf", "caBX", "vpAg", "orNT", "hIST", "sPLT", "TRNS", "trns", "", "tRNSx"})
    BOOST_TEST(!img::is_png_rendering_chunk(dropped), dropped);
}

BOOST_AUTO_TEST_SUITE_END()
