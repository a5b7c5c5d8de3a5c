// image/video.hpp's pure part: what ffprobe's JSON may say, and what is accepted of it.
#include <boost/test/unit_test.hpp>

#include <string>

#include "image/inspect.hpp"
#include "image/video.hpp"

using imghost::image::check_probe;
using imghost::image::decoder_whitelist;
using imghost::image::Format;
using imghost::image::Rejection;
using imghost::image::VideoLimits;

namespace {

// ffprobe's answer for one video stream (and audio when `audio` is not empty).
std::string probe(const std::string& format_name = "mov,mp4,m4a,3gp,3g2,mj2", const std::string& vcodec = "h264",
                  const std::string& audio = "aac", int w = 1920, int h = 1080, const std::string& duration = "12.5",
                  const std::string& fps = "30/1", const std::string& extra_streams = "", int rotation = 0) {
  std::string streams = R"({"index":0,"codec_name":")" + vcodec + R"(","codec_type":"video","width":)" +
                        std::to_string(w) + R"(,"height":)" + std::to_string(h) + R"(,"avg_frame_rate":")" + fps +
                        R"(","side_data_list":[{"side_data_type":"Display Matrix","rotation":)" +
                        std::to_string(rotation) + "}]}";
  if (!audio.empty()) streams += R"(,{"index":1,"codec_name":")" + audio + R"(","codec_type":"audio"})";
  streams += extra_streams;
  return R"({"streams":[)" + streams + R"(],"format":{"format_name":")" + format_name + R"(","duration":")" + duration +
         R"("}})";
}

Rejection::Reason reason_of(const std::string& json, Format container, const VideoLimits& limits = {}) {
  try {
    check_probe(json, container, limits);
  } catch (const Rejection& r) { return r.reason; }
  BOOST_FAIL("accepted: " + json);
  return Rejection::Reason::out_of_resources;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(video)

BOOST_AUTO_TEST_CASE(accepted_videos_and_where_they_are_stored) {
  struct Case {
    std::string json;
    Format container, stored;
    std::string vcodec;
    std::optional<std::string> acodec;
  };
  const Case cases[] = {
      {probe(), Format::mp4, Format::mp4, "h264", "aac"},
      {probe("mov,mp4,m4a,3gp,3g2,mj2", "hevc", ""), Format::mp4, Format::mp4, "hevc", std::nullopt},
      {probe("matroska,webm", "vp9", "opus"), Format::webm, Format::webm, "vp9", "opus"},
      {probe("matroska,webm", "vp8", "vorbis"), Format::webm, Format::webm, "vp8", "vorbis"},
      {probe("matroska,webm", "h264", "aac"), Format::webm, Format::mp4, "h264", "aac"},  // MKV of H.264: MP4
      {probe("mov,mp4,m4a,3gp,3g2,mj2", "vp8", "vorbis"), Format::mp4, Format::webm, "vp8", "vorbis"},
      {probe("mov,mp4,m4a,3gp,3g2,mj2", "av1", "opus"), Format::mp4, Format::mp4, "av1", "opus"},
  };
  for (const auto& c : cases) {
    BOOST_TEST_CONTEXT(c.json) {
      const auto f = check_probe(c.json, c.container, {});
      BOOST_TEST((f.stored == c.stored));
      BOOST_TEST(f.video_codec == c.vcodec);
      BOOST_TEST((f.audio_codec == c.acodec));
      BOOST_TEST(f.duration == 12.5);
      BOOST_TEST(f.width == 1920u);
      BOOST_TEST(f.height == 1080u);
    }
  }
}

BOOST_AUTO_TEST_CASE(a_rotated_video_has_its_displayed_size) {
  const auto f = check_probe(probe("mov", "h264", "aac", 1920, 1080, "3", "30/1", "", -90), Format::mp4, {});
  BOOST_TEST(f.width == 1080u);
  BOOST_TEST(f.height == 1920u);
}

BOOST_AUTO_TEST_CASE(refused_videos) {
  using R = Rejection::Reason;
  std::string many;
  for (int i = 2; i < 12; ++i)
    many += R"(,{"index":)" + std::to_string(i) + R"(,"codec_name":"aac","codec_type":"audio"})";
  const std::pair<std::string, R> cases[] = {
      {probe("mov", "mpeg4"), R::unsupported_format},
      {probe("mov", "h264", "ac3"), R::unsupported_format},
      {probe("mov", "h264", "vorbis"), R::unsupported_format},  // neither MP4 nor WebM holds it
      {probe("mov", "h264", "aac", 100000, 100000), R::invalid_image},
      {probe("mov", "h264", "aac", 7681, 100), R::invalid_image},
      {probe("mov", "h264", "aac", 0, 0), R::invalid_image},
      {probe("mov", "h264", "aac", 1920, 1080, "601"), R::invalid_image},
      {probe("mov", "h264", "aac", 1920, 1080, "N/A"), R::invalid_image},
      {probe("mov", "h264", "aac", 1920, 1080, "10", "1000/1"), R::invalid_image},
      {probe("mov", "h264", "aac", 1920, 1080, "10", "30/1", many), R::invalid_image},
      {probe("mov", "h264", "aac", 1920, 1080, "10", "30/1", R"(,{"index":2,"codec_type":"attachment"})"),
       R::invalid_image},
      {probe("hls"), R::invalid_image},  // not the demuxer it was read with
      {R"({"streams":[{"index":0,"codec_name":"aac","codec_type":"audio"}],"format":{"format_name":"mov","duration":"1"}})",
       R::invalid_image},  // no video
      {"", R::invalid_image},
      {"{not json", R::invalid_image},
      {"[]", R::invalid_image},
  };
  for (const auto& [json, want] : cases) BOOST_TEST_CONTEXT(json) BOOST_TEST((reason_of(json, Format::mp4) == want));
}

BOOST_AUTO_TEST_CASE(limits_are_configurable) {
  VideoLimits only_vp9;
  only_vp9.video_codecs = {"vp9"};
  only_vp9.audio_codecs = {};
  BOOST_TEST((reason_of(probe(), Format::mp4, only_vp9) == Rejection::Reason::unsupported_format));
  BOOST_TEST((reason_of(probe("matroska,webm", "vp9", "opus"), Format::webm, only_vp9) ==
              Rejection::Reason::unsupported_format));
  BOOST_TEST(check_probe(probe("matroska,webm", "vp9", ""), Format::webm, only_vp9).video_codec == "vp9");
  BOOST_TEST(decoder_whitelist(only_vp9) == "vp9,libvpx-vp9");
}

BOOST_AUTO_TEST_SUITE_END()
