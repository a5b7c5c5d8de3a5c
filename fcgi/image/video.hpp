// Videos: probed, checked, remuxed and given a poster by FFmpeg's command-line tools,
// each run in a confined child (image/confined_child.hpp), never in the worker.
//
// Why the tools and not libavformat in the worker: every byte FFmpeg parses is parsed in
// a process that has its own address space and limits and that can be killed at the
// deadline, so a demuxer bug or a file built to exhaust memory costs one child, never
// the worker; a fresh process per upload also leaves nothing of one upload's state to
// the next.  The price is a fork and exec per child, and FFmpeg's start (some 200
// libraries bound: about as long as remuxing 20 MB), so there are two: the probe, whose
// answer decides the rest, then the poster and the remux together.
//
// Every child gets: the container forced (`-f mov` or `-f matroska`, never guessed),
// `-format_whitelist` of those two demuxers (no HLS, concat, image sequences or other
// playlists, also not nested inside the container), `-protocol_whitelist file` (the one
// input file; no network, no other file through a reference), `-codec_whitelist` of the
// decoders of the accepted codecs, one thread, and the limits of VideoLimits.
#pragma once

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "domain/image_format.hpp"
#include "domain/video_limits.hpp"

namespace imghost::image {

// What the probe learned of an accepted video.
struct VideoFacts {
  Format stored = Format::mp4;  // the container it is stored in: mp4 or webm
  std::uint32_t width = 0;      // as displayed (rotation applied)
  std::uint32_t height = 0;
  double duration = 0;  // seconds
  std::string video_codec;
  std::optional<std::string> audio_codec;
  int video_stream = 0;             // the input's index of the stream kept
  std::optional<int> audio_stream;  // the same, of the audio kept (the first)
};

// Reads ffprobe's JSON (-show_format -show_streams) of a file sniffed as `container`
// and checks it against `limits`.  Pure.  Throws Rejection: unsupported_format for a
// codec or container not accepted; invalid_image for no video stream, attachments, a
// duration, size, frame rate or stream count over the limits, or unreadable JSON.
VideoFacts check_probe(std::string_view probe_json, Format container, const VideoLimits& limits);

// The decoder names FFmpeg opens for the accepted codecs (the -codec_whitelist).
std::string decoder_whitelist(const VideoLimits& limits);

// A checked video, remuxed.
struct PreparedVideo {
  VideoFacts facts;
  std::string poster;  // a JPEG of a representative frame, at most 1280 pixels a side
};

// Probes the video at `input` (sniffed as `container`: mp4 or webm), checks it, writes
// its streams (no re-encoding; metadata dropped, display rotation kept, the index
// first) to `output` (replaced), and makes its poster.  Throws Rejection as
// check_probe, and invalid_image when a step fails, is killed by a limit or runs past
// the deadline (the output may then hold anything: the caller removes it);
// std::system_error when a child cannot be started.
PreparedVideo prepare_video(const std::filesystem::path& input, Format container, const std::filesystem::path& output,
                            const VideoLimits& limits);

// The poster of a video already stored (sniffed as `container`), made again as
// prepare_video() made it: probed, checked, one frame decoded, in confined children.
// Throws as prepare_video().
std::string make_poster(const std::filesystem::path& input, Format container, const VideoLimits& limits);

}  // namespace imghost::image
