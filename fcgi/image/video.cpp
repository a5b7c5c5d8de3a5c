#include "image/video.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <map>

#include "domain/translate.hpp"
#include "image/confined_child.hpp"
#include "image/inspect.hpp"

namespace imghost::image {
namespace {

constexpr const char* kFfprobe = "/usr/bin/ffprobe";
constexpr const char* kFfmpeg = "/usr/bin/ffmpeg";
constexpr std::uint32_t kPosterMax = 1280;  // the poster's longer side at most (never enlarged)

[[noreturn]] void invalid(i18n::Message msg) { throw Rejection(Rejection::Reason::invalid_image, std::move(msg)); }
[[noreturn]] void unsupported(i18n::Message msg) {
  throw Rejection(Rejection::Reason::unsupported_format, std::move(msg));
}

// Codec name (ffprobe's codec_name) → the decoders FFmpeg 5.1 in Debian may pick for it.
const std::map<std::string, std::vector<std::string>>& decoders() {
  static const std::map<std::string, std::vector<std::string>> m{
      {"h264", {"h264"}},
      {"hevc", {"hevc"}},
      {"vp8", {"vp8", "libvpx"}},
      {"vp9", {"vp9", "libvpx-vp9"}},
      {"av1", {"libdav1d", "libaom-av1", "av1"}},
      {"aac", {"aac", "aac_fixed"}},
      {"mp3", {"mp3float", "mp3"}},
      {"opus", {"opus", "libopus"}},
      {"vorbis", {"vorbis", "libvorbis"}},
  };
  return m;
}

const char* demuxer_of(Format container) { return container == Format::webm ? "matroska" : "mov"; }

double number(const nlohmann::json& j, const char* key) {
  if (!j.contains(key)) return NAN;
  const auto& v = j[key];
  if (v.is_number()) return v.get<double>();
  if (v.is_string()) {
    try {
      return std::stod(v.get<std::string>());
    } catch (...) { return NAN; }
  }
  return NAN;
}

// "30000/1001" → 29.97; "0/0" or anything else → NAN.
double rate(const nlohmann::json& s, const char* key) {
  if (!s.contains(key) || !s[key].is_string()) return NAN;
  const auto r = s[key].get<std::string>();
  const auto slash = r.find('/');
  try {
    const double num = std::stod(r.substr(0, slash));
    const double den = slash == std::string::npos ? 1 : std::stod(r.substr(slash + 1));
    return den > 0 ? num / den : NAN;
  } catch (...) { return NAN; }
}

// The display rotation in degrees (0, 90, 180, 270) from the display matrix side data.
int rotation_of(const nlohmann::json& s) {
  double deg = 0;
  if (s.contains("side_data_list") && s["side_data_list"].is_array())
    for (const auto& sd : s["side_data_list"])
      if (sd.is_object() && sd.contains("rotation") && sd["rotation"].is_number()) deg = sd["rotation"].get<double>();
  const long r = std::lround(deg);
  return static_cast<int>(((r % 360) + 360) % 360);
}

bool is_cover_art(const nlohmann::json& s) {
  return s.contains("disposition") && s["disposition"].is_object() && s["disposition"].value("attached_pic", 0) == 1;
}

std::string text_of(const nlohmann::json& s, const char* key) {
  return s.contains(key) && s[key].is_string() ? s[key].get<std::string>() : std::string();
}

// Which container can hold these streams as they are: WebM takes VP8/VP9/AV1 with
// Opus/Vorbis, MP4 H.264/HEVC/VP9/AV1 with AAC/MP3/Opus.  A file keeps its own kind of
// container when that can hold them (a MOV becomes an MP4).
std::optional<Format> container_for(Format sniffed, const std::string& v, const std::optional<std::string>& a) {
  const auto in = [](const std::string& x, std::initializer_list<const char*> set) {
    return std::any_of(set.begin(), set.end(), [&](const char* s) { return x == s; });
  };
  const bool webm_ok = in(v, {"vp8", "vp9", "av1"}) && (!a || in(*a, {"opus", "vorbis"}));
  const bool mp4_ok = in(v, {"h264", "hevc", "vp9", "av1"}) && (!a || in(*a, {"aac", "mp3", "opus"}));
  if (sniffed == Format::webm) return webm_ok ? Format::webm : mp4_ok ? std::optional(Format::mp4) : std::nullopt;
  return mp4_ok ? Format::mp4 : webm_ok ? std::optional(Format::webm) : std::nullopt;
}

// The options every child reads its input with; `input` last.
std::vector<std::string> input_args(Format container, const VideoLimits& limits, const std::filesystem::path& input) {
  return {"-protocol_whitelist",
          "file",
          "-format_whitelist",
          "mov,matroska",
          "-codec_whitelist",
          decoder_whitelist(limits),
          "-threads",
          "1",
          "-probesize",
          "32M",
          "-analyzeduration",
          "10M",
          "-f",
          demuxer_of(container),
          "-i",
          "file:" + input.string()};
}

class Deadline {
 public:
  explicit Deadline(std::chrono::milliseconds total) : end_(std::chrono::steady_clock::now() + total) {}
  std::chrono::milliseconds left() const {
    return std::max(std::chrono::milliseconds(1),
                    std::chrono::duration_cast<std::chrono::milliseconds>(end_ - std::chrono::steady_clock::now()));
  }

 private:
  std::chrono::steady_clock::time_point end_;
};

ChildLimits child_limits(const VideoLimits& limits, const Deadline& deadline, std::uint64_t file_size) {
  ChildLimits c;
  c.address_space = limits.memory_bytes;
  c.cpu_seconds = limits.cpu_seconds;
  c.file_size = file_size;
  c.wall = deadline.left();
  return c;
}

// The step's failure as the client's error: the file is what failed, whatever limit
// stopped it.
// `step` says what could not be done, as a verb the messages take ("decoded").
[[noreturn]] void failed(i18n::Message step, const ChildResult& r) {
  if (r.timed_out) invalid(i18n::msg("could not be {} within the time limit", std::move(step)));
  if (r.signal) invalid(i18n::msg("could not be {} within the memory and time limits", std::move(step)));
  invalid(i18n::msg("could not be {}: it is damaged or not a video FFmpeg can read", std::move(step)));
}

}  // namespace

std::string decoder_whitelist(const VideoLimits& limits) {
  std::string out;
  for (const auto* set : {&limits.video_codecs, &limits.audio_codecs})
    for (const auto& codec : *set) {
      const auto it = decoders().find(codec);
      for (const auto& d : it == decoders().end() ? std::vector<std::string>{codec} : it->second)
        out += (out.empty() ? "" : ",") + d;
    }
  return out.empty() ? "none" : out;
}

VideoFacts check_probe(std::string_view probe_json, Format container, const VideoLimits& limits) {
  const auto j = nlohmann::json::parse(probe_json, nullptr, false);
  if (j.is_discarded() || !j.is_object() || !j.contains("format") || !j["format"].is_object())
    invalid(i18n::msg("could not be read as a video"));
  const auto& format = j["format"];
  const auto format_name = text_of(format, "format_name");
  if (format_name.find(demuxer_of(container)) == std::string::npos) invalid(i18n::msg("could not be read as a video"));
  const auto streams = j.contains("streams") && j["streams"].is_array() ? j["streams"] : nlohmann::json::array();
  const auto count = std::max<double>(static_cast<double>(streams.size()), number(format, "nb_streams"));
  if (count > limits.max_streams) invalid(i18n::msg("has {} streams, over the limit of {}", count, limits.max_streams));

  VideoFacts f;
  const nlohmann::json* video = nullptr;
  const nlohmann::json* audio = nullptr;
  for (const auto& s : streams) {
    const auto type = text_of(s, "codec_type");
    if (type == "attachment") invalid(i18n::msg("carries attached files (fonts, pictures): not accepted in a video"));
    if (type == "video" && !is_cover_art(s) && !video) video = &s;
    if (type == "audio" && !audio) audio = &s;
  }
  if (!video) invalid(i18n::msg("has no video stream"));
  f.video_codec = text_of(*video, "codec_name");
  if (!limits.video_codecs.contains(f.video_codec))
    unsupported(f.video_codec.empty() ? i18n::msg("has video in an unknown codec")
                                      : i18n::msg("has video in {}, not an accepted codec", f.video_codec));
  f.video_stream = static_cast<int>(number(*video, "index"));
  if (audio) {
    f.audio_codec = text_of(*audio, "codec_name");
    if (!limits.audio_codecs.contains(*f.audio_codec))
      unsupported(f.audio_codec->empty() ? i18n::msg("has audio in an unknown codec")
                                         : i18n::msg("has audio in {}, not an accepted codec", *f.audio_codec));
    f.audio_stream = static_cast<int>(number(*audio, "index"));
  }
  const double w = number(*video, "width"), h = number(*video, "height");
  if (!(w >= 1 && h >= 1)) invalid(i18n::msg("has a video stream without a size"));
  if (w > limits.max_width || h > limits.max_height || (w > limits.max_height && w > limits.max_width) ||
      std::max(w, h) > std::max(limits.max_width, limits.max_height))
    invalid(i18n::msg("is {}x{} pixels, over the limit of {}x{}", std::llround(w), std::llround(h), limits.max_width,
                      limits.max_height));
  const bool sideways = rotation_of(*video) % 180 == 90;
  f.width = static_cast<std::uint32_t>(sideways ? h : w);
  f.height = static_cast<std::uint32_t>(sideways ? w : h);
  double fps = rate(*video, "avg_frame_rate");
  if (!(fps > 0)) fps = rate(*video, "r_frame_rate");
  if (fps > limits.max_fps)
    invalid(i18n::msg("has {} frames a second, over the limit of {}", std::llround(fps), limits.max_fps));
  double duration = number(format, "duration");
  if (!(duration > 0)) duration = number(*video, "duration");
  if (!(duration > 0)) invalid(i18n::msg("has no duration"));
  if (duration > limits.max_duration_s)
    invalid(i18n::msg("lasts {} seconds, over the limit of {}", std::llround(duration), limits.max_duration_s));
  f.duration = duration;
  const auto stored = container_for(container, f.video_codec, f.audio_codec);
  if (!stored)
    unsupported(f.audio_codec ? i18n::msg("has {} video with {} audio, which neither MP4 nor WebM holds", f.video_codec,
                                          *f.audio_codec)
                              : i18n::msg("has {} video, which neither MP4 nor WebM holds", f.video_codec));
  f.stored = *stored;
  return f;
}

namespace {

// 1. Probe: what the container and the streams' headers say (and a few frames decoded
//    where a decoder must see them to know a stream's parameters).
VideoFacts probe_video(const std::filesystem::path& input, Format container, const VideoLimits& limits,
                       const Deadline& deadline) {
  std::vector<std::string> probe{kFfprobe, "-v", "error", "-hide_banner"};
  for (auto& a : input_args(container, limits, input)) probe.push_back(std::move(a));
  probe.insert(probe.end(), {"-show_format", "-show_streams", "-of", "json"});
  const auto probed = run_confined(probe, child_limits(limits, deadline, 0));
  // A stream in a codec not accepted is never decoded: its decoder is not on the
  // whitelist, so ffprobe stops, and says why.
  if (!probed.ok() && probed.exit_code > 0) {
    const auto at = probed.err.find(") not on whitelist");
    if (at != std::string::npos) {
      const auto open = probed.err.rfind("Codec (", at);
      const auto codec = open == std::string::npos ? std::string() : probed.err.substr(open + 7, at - open - 7);
      unsupported(codec.empty() ? i18n::msg("has a stream in a codec not accepted")
                                : i18n::msg("has a stream in {}, not an accepted codec", codec));
    }
  }
  // FFmpeg stops at its own cap (max_streams, 1000) before it lists them.
  if (!probed.ok() && probed.err.find("exceeds max_streams") != std::string::npos)
    invalid(i18n::msg("has more than {} streams, over the limit of {}", 1000, limits.max_streams));
  if (!probed.ok()) failed(i18n::msg("read as a video"), probed);
  return check_probe(probed.out, container, limits);
}

// 2. Poster: a little into the video (a first frame is often black or a fade-in), the
//    most typical of its next few key frames (FFmpeg's thumbnail filter; key frames
//    only: a second or more apart as cameras record, so the choice spans the scene, and
//    no other frame decoded), rotated as displayed, at most kPosterMax pixels a side.
//    The poster's input, read from `at` seconds; its output goes to the child's stdout.
std::vector<std::string> poster_input(Format container, const VideoLimits& limits, const std::filesystem::path& input,
                                      double at) {
  std::vector<std::string> args{"-skip_frame", "nokey", "-ss", fmt::format("{:.3f}", at)};
  for (auto& a : input_args(container, limits, input)) args.push_back(std::move(a));
  return args;
}

std::vector<std::string> poster_output(const VideoFacts& f, int input_index) {
  return {"-map",
          fmt::format("{}:{}", input_index, f.video_stream),
          "-an",
          "-sn",
          "-dn",
          "-filter_threads",
          "1",
          "-vf",
          fmt::format("thumbnail=n=3,scale=w='min({0},iw)':h='min({0},ih)':force_original_aspect_ratio=decrease,"
                      "format=yuvj420p",
                      kPosterMax),
          "-frames:v",
          "1",
          "-c:v",
          "mjpeg",
          "-q:v",
          "3",
          "-f",
          "image2pipe",
          "pipe:1"};
}

double poster_time(const VideoFacts& f) { return f.duration > 1 ? std::min(f.duration * 0.1, 5.0) : 0; }

// The poster alone, read from `at`; when that finds no key frame (a short video, or
// one whose only key frame is its first), from the start.
std::string poster_of(const std::filesystem::path& input, Format container, const VideoFacts& f,
                      const VideoLimits& limits, const Deadline& deadline, double at) {
  std::vector<std::string> poster{kFfmpeg, "-nostdin", "-v", "error", "-hide_banner"};
  for (auto& a : poster_input(container, limits, input, at)) poster.push_back(std::move(a));
  for (auto& a : poster_output(f, 0)) poster.push_back(std::move(a));
  auto made = run_confined(poster, child_limits(limits, deadline, 0));
  if (made.ok() && made.out.empty() && at > 0) return poster_of(input, container, f, limits, deadline, 0);
  if (!made.ok() || made.out.empty()) failed(i18n::msg("decoded"), made);
  return std::move(made.out);
}

}  // namespace

PreparedVideo prepare_video(const std::filesystem::path& input, Format container, const std::filesystem::path& output,
                            const VideoLimits& limits) {
  const Deadline deadline(limits.timeout);
  PreparedVideo out;
  out.facts = probe_video(input, container, limits, deadline);
  const auto& f = out.facts;

  // 3. The poster (input 0, as poster_of() reads it) and the remux (input 1) in one
  //    child: FFmpeg's start (some 200 libraries bound) costs as much as a remux of
  //    20 MB, so one child instead of two.  The remux: the same streams, no metadata but
  //    the display rotation (side data of the video stream, which a copy keeps), the
  //    index first.
  const double at = poster_time(f);
  std::vector<std::string> both{kFfmpeg, "-nostdin", "-v", "error", "-hide_banner", "-y"};
  for (auto& a : poster_input(container, limits, input, at)) both.push_back(std::move(a));
  for (auto& a : input_args(container, limits, input)) both.push_back(std::move(a));
  for (auto& a : poster_output(f, 0)) both.push_back(std::move(a));
  both.insert(both.end(), {"-map", fmt::format("1:{}", f.video_stream)});
  if (f.audio_stream) both.insert(both.end(), {"-map", fmt::format("1:{}", *f.audio_stream)});
  both.insert(both.end(),
              {"-c", "copy", "-map_metadata", "-1", "-map_metadata:s:v", "-1", "-map_metadata:s:a", "-1",
               "-map_chapters", "-1", "-fflags", "+bitexact", "-flags:v", "+bitexact", "-flags:a", "+bitexact"});
  if (f.stored == Format::mp4)
    both.insert(both.end(), {"-movflags", "+faststart", "-f", "mp4"});
  else
    both.insert(both.end(), {"-f", "webm"});
  both.push_back("file:" + output.string());
  // It may write the streams twice over (faststart rewrites the file to move the index).
  auto made = run_confined(both, child_limits(limits, deadline, limits.max_bytes + (64u << 20)));
  if (!made.ok()) failed(i18n::msg("decoded and remuxed"), made);
  out.poster = made.out.empty() ? poster_of(input, container, f, limits, deadline, 0) : std::move(made.out);
  return out;
}

std::string make_poster(const std::filesystem::path& input, Format container, const VideoLimits& limits) {
  const Deadline deadline(limits.timeout);
  const auto facts = probe_video(input, container, limits, deadline);
  return poster_of(input, container, facts, limits, deadline, poster_time(facts));
}

}  // namespace imghost::image
