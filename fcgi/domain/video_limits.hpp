// How much an uploaded video may be, and what its confined child may spend probing,
// decoding a poster and remuxing it (image/video.hpp applies them; the configuration
// sets them).
#pragma once

#include <chrono>
#include <cstdint>
#include <set>
#include <string>

#include "domain/image_format.hpp"

namespace imghost::image {

struct VideoLimits {
  // The containers accepted: mp4 (ISO BMFF: MP4 and QuickTime MOV) and webm (WebM and
  // Matroska).  Empty: no video is accepted.
  std::set<Format> accepted{Format::mp4, Format::webm};
  // FFmpeg's codec names (ffprobe's codec_name) of the streams accepted.
  std::set<std::string> video_codecs{"h264", "hevc", "vp8", "vp9", "av1"};
  std::set<std::string> audio_codecs{"aac", "mp3", "opus", "vorbis"};
  std::uint64_t max_bytes = 200ull << 20;  // of the upload (also what a remux may write)
  std::uint32_t max_duration_s = 600;
  std::uint32_t max_width = 7680;
  std::uint32_t max_height = 7680;
  std::uint32_t max_fps = 240;
  std::uint32_t max_streams = 8;
  // The child's address space (RLIMIT_AS), CPU time (RLIMIT_CPU) and wall-clock time.
  std::uint64_t memory_bytes = 1ull << 30;
  std::uint32_t cpu_seconds = 60;
  std::chrono::milliseconds timeout{60'000};
};

}  // namespace imghost::image
