// fuzz-sources: fcgi/image/strip_metadata.cpp fcgi/image/png_chunks.cpp fcgi/image/strip/exif.cpp
// fuzz-sources: fcgi/image/strip/gif.cpp fcgi/image/strip/jpeg.cpp fcgi/image/strip/png.cpp
// fuzz-sources: fcgi/image/strip/webp.cpp fcgi/domain/image_format.cpp fcgi/base/text.cpp fcgi/base/hex.cpp
// fuzz-pkgs: zlib
//
// libFuzzer target for image::strip_metadata.
//
// Input: the bytes of a file, stripped as each of the four formats in turn (a file gets
// past at most one format's signature check; the others must hand it back unchanged).
// The seeds in tests/fuzz/corpus/strip_metadata/ are small real JPEG, PNG, WebP and GIF
// files with EXIF, XMP, comments and text chunks spliced in.
//
// Beyond "no crash, no sanitizer report, nothing thrown", checks per format:
//   * idempotent: stripping the output again changes nothing (so nothing that the walk
//     drops is left in the part of the file it walks);
//   * the output is at most 4 bytes longer than the input (a tiny EXIF block can grow
//     into the minimal one) and is empty only for an empty input;
//   * the output keeps the input's signature (SOI, PNG signature, "GIF89a", "RIFF").
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "domain/image_format.hpp"
#include "image/strip_metadata.hpp"

namespace img = imghost::image;

namespace {

std::size_t signature_size(img::Format format) {
  switch (format) {
    case img::Format::jpeg: return 2;
    case img::Format::png: return 8;
    case img::Format::gif: return 6;
    case img::Format::webp: return 4;
    case img::Format::mp4:
    case img::Format::webm: break;  // videos are not stripped here
  }
  return 0;
}

[[noreturn]] void fail(const char* what, img::Format format) {
  std::fprintf(stderr, "invariant violated: %s (format %d)\n", what, static_cast<int>(format));
  std::abort();
}

void check(bool ok, const char* what, img::Format format) {
  if (!ok) fail(what, format);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  for (const img::Format format : {img::Format::jpeg, img::Format::png, img::Format::gif, img::Format::webp}) {
    std::string out;
    try {
      out = img::strip_metadata(input, format);
    } catch (...) { fail("strip_metadata threw", format); }
    check(out.size() <= input.size() + 4, "output at most 4 bytes longer", format);
    check(out.empty() == input.empty(), "output empty only for empty input", format);
    const std::size_t n = signature_size(format);
    check(out.substr(0, n) == input.substr(0, n), "signature kept", format);
    check(img::strip_metadata(out, format) == out, "idempotent", format);
  }
  return 0;
}
