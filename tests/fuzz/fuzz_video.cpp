// fuzz-sources: fcgi/image/video.cpp fcgi/image/confined_child.cpp fcgi/image/sniff.cpp
// fuzz-sources: fcgi/domain/image_format.cpp fcgi/domain/translate.cpp fcgi/base/text.cpp fcgi/base/hex.cpp
// fuzz-pkgs: fmt
// fuzz-libs: -lboost_locale
//
// libFuzzer target for the video path: sniff, then prepare_video() (probe, check, remux,
// poster), each step FFmpeg's tools in a confined child, as an upload runs them.
// Seeds: tests/fuzz/corpus/video/ (tiny H.264+AAC MP4, VP9 WebM, a rotated MOV).
//
// What must hold for any input: no crash and no sanitizer report in imghost's code (the
// probe's JSON reading, the checks, the argument building, the child's management), no
// exception other than Rejection, no FFmpeg child left behind; an accepted video is within the
// limits, was written whole (a file of a video container) and has a JPEG poster.
// FFmpeg runs in its children, never in this process: a crash there is a refusal here,
// which is the point being fuzzed.  Each input costs several forks and execs, so a run
// covers thousands of inputs, not millions.
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>
#include <string_view>
#include <system_error>

#include "image/inspect.hpp"
#include "image/sniff.hpp"
#include "image/video.hpp"

namespace {

namespace fs = std::filesystem;

imghost::image::VideoLimits fuzz_limits() {
  imghost::image::VideoLimits l;  // smaller than production, so each input stays quick
  l.max_bytes = 1 << 20;
  l.max_width = 1920;
  l.max_height = 1920;
  l.memory_bytes = 512ull << 20;
  l.cpu_seconds = 3;
  l.timeout = std::chrono::milliseconds(4000);
  return l;
}

[[noreturn]] void fail(const char* what) {
  std::fprintf(stderr, "fuzz_video: %s\n", what);
  std::abort();
}

// A folder of this process's own for the input and the output.
const fs::path& work_dir() {
  static const fs::path dir = [] {
    auto d = fs::temp_directory_path() / ("imghost-fuzz-video-" + std::to_string(::getpid()));
    fs::create_directories(d);
    return d;
  }();
  return dir;
}

// The command lines of this process's children that run FFmpeg's tools, if any.
std::string ffmpeg_children() {
  std::string found;
  std::error_code ec;
  for (const auto& task : fs::directory_iterator("/proc/self/task", ec)) {
    std::ifstream children(task.path() / "children");
    for (long pid = 0; children >> pid;) {
      std::ifstream cmdline("/proc/" + std::to_string(pid) + "/cmdline", std::ios::binary);
      std::string argv0;
      std::getline(cmdline, argv0, '\0');
      if (argv0.find("ffmpeg") != std::string::npos || argv0.find("ffprobe") != std::string::npos)
        found += std::to_string(pid) + " " + argv0 + "; ";
    }
  }
  return found;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  namespace image = imghost::image;
  using image::Format;
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  const auto format = image::sniff(bytes);
  // What the upload path sends here: a file sniffed as a video container.
  if (!format || (*format != Format::mp4 && *format != Format::webm)) return 0;
  const auto input = work_dir() / "in";
  const auto output = work_dir() / "out";
  {
    std::ofstream f(input, std::ios::binary | std::ios::trunc);
    f.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    if (!f) fail("cannot write the input");
  }
  const auto limits = fuzz_limits();
  try {
    const auto v = image::prepare_video(input, *format, output, limits);
    if (v.facts.width == 0 || v.facts.height == 0 || v.facts.width > limits.max_width ||
        v.facts.height > limits.max_height)
      fail("accepted a video outside the size limits");
    if (v.facts.duration > limits.max_duration_s) fail("accepted a video over the duration limit");
    if (v.poster.size() < 3 || static_cast<unsigned char>(v.poster[0]) != 0xFF ||
        static_cast<unsigned char>(v.poster[1]) != 0xD8)
      fail("an accepted video's poster is not a JPEG");
    std::ifstream out(output, std::ios::binary);
    std::string head(64, '\0');
    out.read(head.data(), static_cast<std::streamsize>(head.size()));
    head.resize(static_cast<std::size_t>(out.gcount()));
    const auto stored = image::sniff(head);
    if (!stored || *stored != v.facts.stored) fail("the remuxed file is not the container it claims");
  } catch (const image::Rejection&) {
    // A refusal: what most mutated inputs get.
  } catch (const std::system_error& e) {
    std::fprintf(stderr, "fuzz_video: %s\n", e.what());
    fail("a child could not be run");
  }
  // Every FFmpeg child was reaped and none left running.  (Children of other kinds are
  // the sanitizer's: libFuzzer starts a symbolizer to name new functions.)
  if (const auto left = ffmpeg_children(); !left.empty()) {
    std::fprintf(stderr, "fuzz_video: left behind: %s\n", left.c_str());
    fail("a child of the video path was left behind");
  }
  std::error_code ec;
  fs::remove(output, ec);
  return 0;
}
