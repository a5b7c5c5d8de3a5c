#include <boost/test/unit_test.hpp>

#include "domain/config.hpp"
#include "domain/variant_presets.hpp"

using imghost::Config;
using imghost::ConfigError;
using imghost::VariantPreset;
using imghost::VariantPresets;

BOOST_AUTO_TEST_SUITE(variant_presets)

BOOST_AUTO_TEST_CASE(defaults_are_s_m_l) {
  const auto c = Config::from("", {});
  BOOST_TEST((c.variant_presets == VariantPresets{{"s", 320}, {"m", 800}, {"l", 1600}}));
  BOOST_TEST(*c.get("variant_presets") == "s:320,m:800,l:1600");
  BOOST_TEST(c.variants_max_bytes == 2ull << 30);
}

BOOST_AUTO_TEST_CASE(good_lists_parse_sorted_by_size) {
  struct Case {
    const char* text;
    VariantPresets want;
  };
  const Case cases[] = {
      {"m:800", {{"m", 800}}},
      {"l:1600, s:320 ,m:800", {{"s", 320}, {"m", 800}, {"l", 1600}}},
      {"thumb2:16,big:8192", {{"thumb2", 16}, {"big", 8192}}},
      {" a : 100 ", {{"a", 100}}},
  };
  for (const auto& c : cases) {
    BOOST_TEST_CONTEXT(c.text) { BOOST_TEST((imghost::parse_variant_presets(c.text) == c.want)); }
  }
}

BOOST_AUTO_TEST_CASE(bad_lists_are_refused_with_a_message_naming_the_problem) {
  struct Case {
    const char* text;
    const char* mention;
  };
  const Case cases[] = {
      {"", "no preset"},
      {"m", "not name:size"},
      {"m=800", "not name:size"},
      {"M:800", "letters a-z or digits"},
      {":800", "letters a-z or digits"},
      {"../x:800", "letters a-z or digits"},
      {"toolongname:800", "letters a-z or digits"},
      {"m:0", "from 16 to 8192"},
      {"m:15", "from 16 to 8192"},
      {"m:8193", "from 16 to 8192"},
      {"m:800px", "from 16 to 8192"},
      {"m:-800", "from 16 to 8192"},
      {"m:", "from 16 to 8192"},
      {"m:800,m:900", "given twice"},
      {"a:800,b:800", "same size"},
      {"s:320,,m:800", "empty item"},
      {"s:320,", "empty item"},
      {"a:16,b:17,c:18,d:19,e:20,f:21,g:22,h:23,i:24", "at most 8"},
  };
  for (const auto& c : cases) {
    BOOST_TEST_CONTEXT(c.text) {
      try {
        Config::from(std::string("variant_presets = ") + c.text, {});
        BOOST_TEST(false, "no error");
      } catch (const ConfigError& e) {
        const std::string what = e.what();
        BOOST_TEST(what.find("variant_presets") != std::string::npos, what);
        BOOST_TEST(what.find(c.mention) != std::string::npos, what);
      }
    }
  }
}

BOOST_AUTO_TEST_CASE(environment_and_cap) {
  const auto c = Config::from("variants_max_bytes = 10M", {{"IMGHOST_VARIANT_PRESETS", "x:100"}});
  BOOST_TEST((c.variant_presets == VariantPresets{{"x", 100}}));
  BOOST_TEST(c.variants_max_bytes == 10u << 20);
  BOOST_CHECK_THROW(Config::from("variants_max_bytes = lots", {}), ConfigError);
}

BOOST_AUTO_TEST_CASE(formats_are_the_four_of_the_contract) {
  using imghost::parse_variant_format;
  BOOST_TEST((parse_variant_format("webp") == imghost::VariantFormat::webp));
  BOOST_TEST((parse_variant_format("avif") == imghost::VariantFormat::avif));
  BOOST_TEST((parse_variant_format("jpeg") == imghost::VariantFormat::jpeg));
  BOOST_TEST((parse_variant_format("png") == imghost::VariantFormat::png));
  for (const char* bad : {"jpg", "gif", "WEBP", "", "heic"}) BOOST_TEST(!parse_variant_format(bad), bad);
  const VariantPresets p{{"s", 320}, {"m", 800}};
  BOOST_TEST(imghost::find_variant_preset(p, "m")->box == 800u);
  BOOST_TEST(!imghost::find_variant_preset(p, "l"));
}

BOOST_AUTO_TEST_SUITE_END()

#include "render/picture.hpp"

BOOST_AUTO_TEST_SUITE(picture)

BOOST_AUTO_TEST_CASE(sources_list_the_presets_up_to_the_image_size_never_the_original) {
  imghost::ImageRecord r;
  r.name = "abcdefghijklmnopqrst.jpg";
  r.format = "jpeg";
  r.width = 1000;
  r.height = 500;
  const auto html = imghost::pages::picture_html(imghost::default_variant_presets(), r,
                                                 {"", "100vw", "a \"cat\"", 1000, 500, true, {}});
  BOOST_TEST(
      html.find(R"(<source type="image/avif" srcset="/v/s/abcdefghijklmnopqrst.avif 320w, )"
                R"(/v/m/abcdefghijklmnopqrst.avif 800w, /v/l/abcdefghijklmnopqrst.avif 1000w")") != std::string::npos,
      html);
  BOOST_TEST(html.find(R"(<source type="image/webp")") != std::string::npos);
  BOOST_TEST(html.find(R"(<img src="/v/m/abcdefghijklmnopqrst.jpeg")") != std::string::npos, html);
  BOOST_TEST(html.find(R"(width="1000" height="500" alt="a &quot;cat&quot;" loading="lazy")") != std::string::npos,
             html);
  BOOST_TEST(html.find("/images/") == std::string::npos, "never the original");
  r.width = 300;
  r.height = 200;
  r.format = "png";
  const auto small = imghost::pages::picture_html(imghost::default_variant_presets(), r,
                                                  {"https://x.example", "10rem", "", 300, 200, false, {}});
  BOOST_TEST(small.find("/v/m/") == std::string::npos, "no larger copy of a small image");
  BOOST_TEST(small.find(R"(src="https://x.example/v/s/abcdefghijklmnopqrst.png")") != std::string::npos, small);
  BOOST_TEST(small.find("loading=") == std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_tile_offers_the_smallest_preset_over_its_thumbnail) {
  imghost::ImageRecord r;
  r.name = "abcdefghijklmnopqrst.jpg";
  r.format = "jpeg";
  r.width = 4000;
  r.height = 3000;
  const auto html = imghost::pages::tile_picture_html(imghost::default_variant_presets(), r,
                                                      "/images/thumbs/abcdefghijklmnopqrst.jpg",
                                                      {"", "12rem", "", 320, 240, true, {}});
  BOOST_TEST(html.find(R"(<source type="image/avif" srcset="/v/s/abcdefghijklmnopqrst.avif 320w" sizes="12rem">)") !=
                 std::string::npos,
             html);
  BOOST_TEST(
      html.find(R"(<source type="image/webp" srcset="/v/s/abcdefghijklmnopqrst.webp 320w")") != std::string::npos,
      html);
  BOOST_TEST(html.find("/v/m/") == std::string::npos, "only the smallest preset");
  BOOST_TEST(html.find(R"(<img src="/images/thumbs/abcdefghijklmnopqrst.jpg" width="320" height="240" alt="" )"
                       R"(loading="lazy")") != std::string::npos,
             html);
  BOOST_TEST(html.find(".jpeg") == std::string::npos, "the thumbnail is the fallback, no JPEG variant");
  r.format = "gif";
  const auto gif = imghost::pages::tile_picture_html(imghost::default_variant_presets(), r, "/images/thumbs/x.gif",
                                                     {"", "12rem", "", 320, 240, false, {}});
  BOOST_TEST(gif == R"(<img src="/images/thumbs/x.gif" width="320" height="240" alt="">)",
             "a GIF keeps its still thumbnail");
}

BOOST_AUTO_TEST_SUITE_END()
