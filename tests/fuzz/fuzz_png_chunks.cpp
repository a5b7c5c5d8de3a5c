// fuzz-sources: fcgi/image/png_chunks.cpp
// fuzz-pkgs: zlib
//
// libFuzzer target for image::png_for_decoder, find_png_bomb, png_image_data_size,
// png_image_data_bound and check_png_image_data.
//
// Input: the bytes of a file.  The seeds in tests/fuzz/corpus/png_chunks/ are small PNGs
// with text chunks, a real and a bomb ICC profile, zTXt/iTXt bombs, image data that runs
// past its pixels, an interlaced header.  Small caps keep every input fast.
//
// Beyond "no crash, no sanitizer report, nothing thrown but std::bad_alloc", checks:
//   * png_for_decoder: the output is no longer than the input, keeps the signature,
//     holds only critical and rendering chunks, and is stable under a second pass;
//   * find_png_bomb: a found bomb's message starts with "has ";
//   * check_png_image_data stops when keep_going says so;
//   * no image data inflates to more than png_image_data_bound says (checked where the
//     bound is small enough to inflate quickly).
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "image/png_chunks.hpp"

namespace img = imghost::image;

namespace {

[[noreturn]] void fail(const char* what) {
  std::fprintf(stderr, "invariant violated: %s\n", what);
  std::abort();
}

void check(bool ok, const char* what) {
  if (!ok) fail(what);
}

// Every chunk of a PNG that png_for_decoder made is critical or a rendering chunk.
bool only_decoder_chunks(std::string_view png) {
  for (std::size_t pos = 8; png.size() - pos >= 12;) {
    const auto* p = reinterpret_cast<const unsigned char*>(png.data() + pos);
    const std::size_t length = std::size_t{p[0]} << 24 | std::size_t{p[1]} << 16 | std::size_t{p[2]} << 8 | p[3];
    const std::string_view type = png.substr(pos + 4, 4);
    if ((type[0] & 0x20) != 0 && !img::is_png_rendering_chunk(type)) return false;
    if (png.size() - pos - 12 < length) return false;
    pos += 12 + length;
  }
  return true;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const bool png = input.substr(0, 8) == std::string_view("\x89PNG\r\n\x1a\n", 8);

  const std::string out = img::png_for_decoder(input);
  check(out.size() <= input.size(), "decoder bytes no longer than the input");
  check(png || out == input, "not a PNG: unchanged");
  if (png) {
    check(out.substr(0, 8) == input.substr(0, 8), "signature kept");
    check(only_decoder_chunks(out), "only critical and rendering chunks, whole");
  }
  check(img::png_for_decoder(out) == out, "idempotent");

  const img::InflateCaps caps{1u << 20, 4u << 20};
  for (const std::string_view bytes : {input, std::string_view(out)}) {
    if (const auto bomb = img::find_png_bomb(bytes, caps)) check(bomb->starts_with("has "), "message shape");
  }

  const auto expected = img::png_image_data_size(out).value_or(1000);
  const std::uint64_t bounded = expected < (8u << 20) ? expected : (8u << 20);
  int asked = 0;
  const auto result = img::check_png_image_data(out, bounded, [&] { return ++asked < 50; });
  check(asked <= 50, "stops when told");
  check(result != img::ImageDataCheck::stopped || asked == 50, "stopped only when told");

  const std::uint64_t bound = img::png_image_data_bound(out);
  if (bound <= (8u << 20))
    check(img::check_png_image_data(out, bound, [] { return true; }) == img::ImageDataCheck::fits,
          "inflates to no more than its bound");
  return 0;
}
