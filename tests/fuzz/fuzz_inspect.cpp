// fuzz-sources: fcgi/domain/image_format.cpp fcgi/image/sniff.cpp fcgi/image/png_header.cpp
// fuzz-sources: fcgi/image/webp_header.cpp fcgi/image/magick_read.cpp fcgi/image/magick_setup.cpp
// fuzz-sources: fcgi/image/inspect.cpp fcgi/image/thumbnail.cpp fcgi/image/png_chunks.cpp
// fuzz-sources: fcgi/image/png_encode.cpp fcgi/image/gif_frames.cpp fcgi/image/gif_header.cpp
// fuzz-sources: fcgi/base/allocator.cpp fcgi/base/text.cpp fcgi/base/hex.cpp
// fuzz-pkgs: Magick++ zlib libpng
// fuzz-libs: -lgif
//
// libFuzzer target for image::inspect() and, on what it accepts, make_thumbnail().
// Seeds: tests/fuzz/corpus/inspect/ (tiny valid JPEG, PNG, GIF, WebP, animations).
//
// What must hold for any input: no crash, no sanitizer report, no exception other
// than Rejection from inspect(); an accepted image is within the limits and has a
// decoded first frame that makes a thumbnail in its own format.
// ImageMagick itself is not instrumented: coverage guides through imghost's code
// (sniffing, the PNG/WebP header readers, the checks), sanitizers watch all of it.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <string>
#include <string_view>

#include "image/inspect.hpp"
#include "image/magick_setup.hpp"
#include "image/sniff.hpp"
#include "image/thumbnail.hpp"

namespace {

imghost::image::Limits fuzz_limits() {
  imghost::image::Limits l;  // smaller than production, so each input stays fast
  l.max_width = 4096;
  l.max_height = 4096;
  l.max_pixels = 4'000'000;
  l.max_frames = 50;
  l.decode_timeout = std::chrono::milliseconds(2000);
  l.thumb_size = 64;
  return l;
}

const imghost::image::Limits kLimits = fuzz_limits();

[[noreturn]] void fail(const char* what) {
  std::fprintf(stderr, "fuzz_inspect: invariant broken: %s\n", what);
  std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  // The policy must be in force before ImageMagick initializes; configure_magick()
  // refuses to run otherwise.  An environment that already names it wins.
  const auto policy = std::filesystem::path(__FILE__).parent_path() / ".." / ".." / "fcgi" / "image" / "policy";
  setenv("MAGICK_CONFIGURE_PATH", policy.c_str(), 0);
  setenv("OMP_NUM_THREADS", "1", 0);
  imghost::image::configure_magick(kLimits);
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace imghost::image;
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  Inspected in;
  try {
    in = inspect(bytes, kLimits);
  } catch (const Rejection&) { return 0; }
  if (!sniff(bytes) || *sniff(bytes) != in.format) fail("format differs from the magic bytes");
  if (in.width == 0 || in.height == 0 || in.width > kLimits.max_width || in.height > kLimits.max_height)
    fail("accepted size outside the limits");
  if (std::uint64_t{in.width} * in.height > kLimits.max_pixels) fail("accepted area over the limit");
  if (in.frames == 0 || in.frames > kLimits.max_frames) fail("accepted frame count outside the limits");
  if (!in.decoded) fail("accepted without a decoded frame");
  const std::string thumb = make_thumbnail(in, kLimits.thumb_size);  // throws: a finding
  if (sniff(thumb) != in.format) fail("thumbnail not in the original's format");
  return 0;
}
