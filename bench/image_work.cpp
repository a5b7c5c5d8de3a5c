// The in-process cost of an upload's image work alone, on one core: for each file,
// image::inspect() (magic bytes, header, the real decode) then image::thumbnail_of()
// (make_thumbnail(), or the file itself when it is small and fits), exactly as a worker
// calls them, with the worker's ImageMagick set-up
// (image::configure_magick with the default limits, one OpenMP thread, the project's
// policy through MAGICK_CONFIGURE_PATH, which bench/run sets).  Also SHA-256 of the
// bytes, the other per-byte work of an upload, timed apart.
//
//   image_work [--iterations N] [--seconds S] [--cpu C] FILE...
//
// Per file: 2 warm-up rounds, then N rounds or S seconds, whichever ends first.  Prints
// one JSON object per file on stdout.
#include <sched.h>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "base/crypto.hpp"
#include "image/inspect.hpp"
#include "image/magick_setup.hpp"
#include "image/thumbnail.hpp"

namespace {

using Clock = std::chrono::steady_clock;

double ms_since(Clock::time_point t0) { return std::chrono::duration<double, std::milli>(Clock::now() - t0).count(); }

double median(std::vector<double> v) {
  if (v.empty()) return 0;
  std::sort(v.begin(), v.end());
  const std::size_t n = v.size();
  return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

double mean(const std::vector<double>& v) {
  double s = 0;
  for (const double x : v) s += x;
  return v.empty() ? 0 : s / static_cast<double>(v.size());
}

}  // namespace

int main(int argc, char** argv) {
  using namespace imghost;
  long iterations = 200;
  double seconds = 4.0;
  int cpu = 0;
  std::vector<std::string> files;
  for (int i = 1; i < argc; ++i) {
    const std::string a = argv[i];
    if (a == "--iterations" && i + 1 < argc) {
      iterations = std::atol(argv[++i]);
    } else if (a == "--seconds" && i + 1 < argc) {
      seconds = std::atof(argv[++i]);
    } else if (a == "--cpu" && i + 1 < argc) {
      cpu = std::atoi(argv[++i]);
    } else if (!a.empty() && a[0] != '-') {
      files.push_back(a);
    } else {
      std::fprintf(stderr, "usage: %s [--iterations N] [--seconds S] [--cpu C] FILE...\n", argv[0]);
      return 2;
    }
  }
  // One core, like one worker process.
  setenv("OMP_NUM_THREADS", "1", 1);
  if (cpu >= 0) {
    cpu_set_t set;
    CPU_ZERO(&set);
    CPU_SET(cpu, &set);
    if (sched_setaffinity(0, sizeof set, &set) != 0) std::perror("sched_setaffinity");
  }
  const image::Limits limits;
  image::configure_magick(limits);

  for (const auto& path : files) {
    std::ifstream in(path, std::ios::binary);
    const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    if (bytes.empty()) {
      std::fprintf(stderr, "image_work: cannot read %s\n", path.c_str());
      return 1;
    }
    std::vector<double> t_inspect, t_thumb, t_sha;
    std::size_t thumb_bytes = 0;
    std::uint32_t width = 0, height = 0, frames = 0;
    const auto start = Clock::now();
    for (long i = -2; i < iterations; ++i) {
      auto t0 = Clock::now();
      const auto sha = crypto::sha256(bytes);
      const double d_sha = ms_since(t0);
      t0 = Clock::now();
      const auto inspected = image::inspect(bytes, limits);
      const double d_inspect = ms_since(t0);
      t0 = Clock::now();
      const auto thumb = image::thumbnail_of(inspected, bytes, limits.thumb_size);
      const double d_thumb = ms_since(t0);
      (void)sha;
      thumb_bytes = thumb.size();
      width = inspected.width;
      height = inspected.height;
      frames = inspected.frames;
      if (i < 0) continue;  // warm-up
      t_sha.push_back(d_sha);
      t_inspect.push_back(d_inspect);
      t_thumb.push_back(d_thumb);
      if (ms_since(start) > seconds * 1000) break;
    }
    std::vector<double> total(t_inspect.size());
    for (std::size_t i = 0; i < total.size(); ++i) total[i] = t_inspect[i] + t_thumb[i];
    const double per_image = median(total);
    std::printf(
        "{\"file\":\"%s\",\"bytes\":%zu,\"width\":%u,\"height\":%u,\"frames\":%u,\"iterations\":%zu,"
        "\"inspect_ms\":%.3f,\"thumbnail_ms\":%.3f,\"total_ms\":%.3f,\"total_mean_ms\":%.3f,"
        "\"sha256_ms\":%.3f,\"thumbnail_bytes\":%zu,\"images_per_s_1_core\":%.1f,"
        "\"images_per_s_2_workers\":%.1f}\n",
        path.c_str(), bytes.size(), width, height, frames, total.size(), median(t_inspect), median(t_thumb), per_image,
        mean(total), median(t_sha), thumb_bytes, per_image > 0 ? 1000.0 / per_image : 0.0,
        per_image > 0 ? 2000.0 / per_image : 0.0);
    std::fflush(stdout);
  }
  return 0;
}
