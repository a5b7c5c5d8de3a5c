// fuzz-sources: fcgi/image/gif_frames.cpp
// fuzz-libs: -lgif
//
// libFuzzer target for image::check_gif_frames: giflib walking and decoding any bytes.
// Seeds: the GIFs of tests/fuzz/corpus/inspect/ (copied into tests/fuzz/corpus/gif_frames/).
//
// Beyond "no crash, no sanitizer report, nothing thrown but std::bad_alloc", checks:
//   * never more frames than asked for;
//   * `stopped` only when keep_going said so, and keep_going not asked again after;
//   * `corrupt` always says why, and nothing else does.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>

#include "image/gif_frames.hpp"

namespace img = imghost::image;

namespace {

void check(bool ok, const char* what) {
  if (ok) return;
  std::fprintf(stderr, "invariant violated: %s\n", what);
  std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  using Outcome = img::GifFramesCheck::Outcome;
  int asked = 0;
  const auto out = img::check_gif_frames(input, 8, [&] { return ++asked < 20; });
  check(out.frames <= 8, "at most max_frames frames");
  check(out.outcome != Outcome::stopped || asked == 20, "stopped only when told");
  check(asked <= 20, "not asked again after a stop");
  check((out.outcome == Outcome::corrupt) == !out.problem.empty(), "a problem exactly when corrupt");
  return 0;
}
