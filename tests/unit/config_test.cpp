#include <boost/test/unit_test.hpp>

#include "domain/config.hpp"

using imghost::Config;
using imghost::ConfigError;

BOOST_AUTO_TEST_SUITE(config)

BOOST_AUTO_TEST_CASE(defaults_match_the_contract) {
  const auto c = Config::from("", {});
  BOOST_TEST(c.max_file_bytes == 5u << 20);
  BOOST_TEST(c.image.max_pixels == 50'000'000u);
  BOOST_TEST(c.image.accepted.size() == 4u);
  BOOST_TEST(c.image.thumb_size == 320u);
  BOOST_TEST(c.workers >= 1u);
  BOOST_TEST(c.public_base_url.empty());
}

BOOST_AUTO_TEST_CASE(file_then_environment_override) {
  const auto c = Config::from(
      "# comment\nmax_file_size = 2M\nformats = jpeg, png\npublic_base_url = https://img.example/\n"
      "workers = 3\nthumb_size=200 # trailing comment\n",
      {{"IMGHOST_WORKERS", "5"}, {"PATH", "/bin"}, {"IMGHOST_MAX_REQUEST_SIZE", "3MiB"}});
  BOOST_TEST(c.max_file_bytes == 2u << 20);
  BOOST_TEST(c.max_request_bytes == 3u << 20);
  BOOST_TEST(c.image.accepted.size() == 2u);
  BOOST_TEST(c.public_base_url == "https://img.example");
  BOOST_TEST(c.workers == 5u);
  BOOST_TEST(c.image.thumb_size == 200u);
}

BOOST_AUTO_TEST_CASE(bad_values_are_errors_naming_the_key) {
  struct Case {
    const char* file;
    const char* mention;
  };
  const Case cases[] = {
      {"max_file_size = lots", "max_file_size"},
      {"max_file_size = 5X", "max_file_size"},
      {"workers = -1", "workers"},
      {"formats = jpeg, bmp", "bmp"},
      {"formats = ,", "formats"},
      {"strip_metadata = maybe", "strip_metadata"},
      {"no_such_key = 1", "no_such_key"},
      {"just words", "line 1"},
      {"max_file_size = 10M\nmax_request_size = 1M", "max_request_size"},
  };
  for (const auto& c : cases) {
    BOOST_TEST_CONTEXT(c.file) {
      try {
        Config::from(c.file, {});
        BOOST_TEST(false, "no error");
      } catch (const ConfigError& e) {
        BOOST_TEST(std::string(e.what()).find(c.mention) != std::string::npos, e.what());
      }
    }
  }
}

BOOST_AUTO_TEST_CASE(unknown_environment_setting_is_an_error) {
  BOOST_CHECK_THROW(Config::from("", {{"IMGHOST_MAX_FILESIZE", "1M"}}), ConfigError);
  BOOST_CHECK_NO_THROW(Config::from("", {{"IMGHOST_PORT", "8080"}, {"IMGHOST_VAR", "/x"}}));
}

BOOST_AUTO_TEST_CASE(get_prints_the_value_in_force_for_scripts) {
  const auto c =
      Config::from("max_file_size = 5MiB\nstrip_metadata = off\nformats = png,jpg\n", {{"IMGHOST_THUMB_SIZE", "200"}});
  BOOST_TEST(*c.get("max_file_size") == "5242880");
  BOOST_TEST(*c.get("max_request_size") == std::to_string((200u << 20) + (64u << 10)), "admits one video");
  BOOST_TEST(*c.get("strip_metadata") == "false");
  BOOST_TEST(*c.get("formats") == "jpeg,png");
  BOOST_TEST(*c.get("thumb_size") == "200");
  BOOST_TEST(!c.get("no_such_key"));
  // Every key round-trips: what get() prints, the file accepts, to the same value.
  for (const auto key : Config::keys()) {
    BOOST_TEST_CONTEXT(key) {
      const auto again = Config::from(std::string(key) + " = " + *c.get(key) + "\n", {});
      BOOST_TEST(*again.get(key) == *c.get(key));
    }
  }
}

BOOST_AUTO_TEST_CASE(request_size_follows_the_files_unless_set) {
  // As many files as allowed, each as big as allowed, plus the multipart framing: the
  // form's promise ("at most 20 files of 5 MiB each") always fits through nginx.
  const std::string images_only = "video_formats = \n";
  BOOST_TEST(Config::from(images_only, {}).max_request_bytes == 20 * (5ull << 20) + (64u << 10));
  BOOST_TEST(Config::from(images_only + "max_file_size = 10M", {}).max_request_bytes ==
             20 * (10ull << 20) + (64u << 10));
  BOOST_TEST(Config::from(images_only + "max_files = 3", {{"IMGHOST_MAX_FILE_SIZE", "1M"}}).max_request_bytes ==
             3 * (1u << 20) + (64u << 10));
  BOOST_TEST(Config::from("max_file_size = 1M\nmax_request_size = 8M", {}).max_request_bytes == 8u << 20);
}

BOOST_AUTO_TEST_CASE(request_size_admits_one_video_of_the_largest_size) {
  BOOST_TEST(Config::from("", {}).max_request_bytes == (200ull << 20) + (64u << 10));
  BOOST_TEST(Config::from("max_video_size = 300M", {}).max_request_bytes == (300ull << 20) + (64u << 10));
  // The images' total wins when it is larger.
  BOOST_TEST(Config::from("max_file_size = 20M", {}).max_request_bytes == 20 * (20ull << 20) + (64u << 10));
}

BOOST_AUTO_TEST_CASE(video_settings) {
  const auto d = Config::from("", {});
  BOOST_TEST(*d.get("video_formats") == "mp4,webm");
  BOOST_TEST(*d.get("video_codecs") == "av1,h264,hevc,vp8,vp9");
  BOOST_TEST(*d.get("audio_codecs") == "aac,mp3,opus,vorbis");
  BOOST_TEST(d.video.max_duration_s == 600u);
  BOOST_TEST(d.video.max_width == 7680u);
  const auto c = Config::from("video_formats = webm\nvideo_codecs = vp9\nmax_video_duration = 30\n", {});
  BOOST_TEST(*c.get("video_formats") == "webm");
  BOOST_TEST(*c.get("video_codecs") == "vp9");
  BOOST_TEST(c.video.max_duration_s == 30u);
  // Image formats and video containers are not interchangeable.
  BOOST_CHECK_THROW(Config::from("formats = jpeg,mp4\n", {}), ConfigError);
  BOOST_CHECK_THROW(Config::from("video_formats = png\n", {}), ConfigError);
  BOOST_CHECK_THROW(Config::from("video_codecs = h264;rm -rf\n", {}), ConfigError);
  BOOST_TEST(Config::from("video_formats = \n", {}).video.accepted.empty());
}

BOOST_AUTO_TEST_CASE(max_files_and_default_visibility) {
  const auto d = Config::from("", {});
  BOOST_TEST(d.max_files == 20u);
  BOOST_TEST((d.default_visibility == imghost::Visibility::unlisted), "unlisted unless configured");
  BOOST_TEST(*d.get("default_visibility") == "unlisted");
  const auto c = Config::from("default_visibility = public\nmax_files = 5\n", {});
  BOOST_TEST(c.max_files == 5u);
  BOOST_TEST((c.default_visibility == imghost::Visibility::public_));
  BOOST_CHECK_THROW(Config::from("default_visibility = Public", {}), ConfigError);
  BOOST_CHECK_THROW(Config::from("max_files = 0", {}), ConfigError);
}

BOOST_AUTO_TEST_CASE(empty_album_ttl_is_seconds_0_for_never_else_at_least_a_minute) {
  BOOST_TEST(Config::from("", {}).empty_album_ttl == 86400u, "a day unless configured");
  BOOST_TEST(*Config::from("", {}).get("empty_album_ttl") == "86400");
  BOOST_TEST(Config::from("empty_album_ttl = 3600", {}).empty_album_ttl == 3600u);
  BOOST_TEST(Config::from("empty_album_ttl = 3600", {{"IMGHOST_EMPTY_ALBUM_TTL", "0"}}).empty_album_ttl == 0u,
             "0: empty albums stay; the environment wins");
  BOOST_TEST(Config::from("empty_album_ttl = 60", {}).empty_album_ttl == 60u);
  for (const char* bad : {"59", "1", "-1", "1d", "", "3600 s", "999999999999"}) {
    BOOST_TEST_CONTEXT(bad) {
      try {
        Config::from(std::string("empty_album_ttl = ") + bad, {});
        BOOST_TEST(false, "no error");
      } catch (const ConfigError& e) {
        BOOST_TEST(std::string(e.what()).find("empty_album_ttl") != std::string::npos, e.what());
      }
    }
  }
}

BOOST_AUTO_TEST_SUITE_END()
