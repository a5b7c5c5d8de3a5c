// Link previews' pure parts: which links are this site's (GET /api/oembed?url=), the box
// that maxwidth and maxheight fit an image into, the discovery link's encoding, and the
// tags of a page (none without a public base URL).
#include <boost/test/unit_test.hpp>

#include <initializer_list>
#include <string>

#include "base/text.hpp"
#include "domain/config.hpp"
#include "domain/site_link.hpp"
#include "domain/static_assets.hpp"
#include "domain/thumbnail_geometry.hpp"
#include "render/link_preview.hpp"

using imghost::parse_site_link;
using imghost::SiteLink;

namespace {
const std::string kId = "abcdefghijklmnopqrst";  // 20 base32 characters: an id's shape
const std::string kName = "abcdefghijklmnopq234.jpg";
}  // namespace

BOOST_AUTO_TEST_SUITE(link_preview)

BOOST_AUTO_TEST_CASE(only_this_sites_pages_and_files_are_links) {
  const std::string base = "https://img.example";
  const auto page = parse_site_link(base, base + "/i/" + kId);
  BOOST_REQUIRE(page);
  BOOST_TEST((page->kind == SiteLink::Kind::image_page));
  BOOST_TEST(page->key == kId);
  const auto album = parse_site_link(base, "HTTPS://IMG.example/a/" + kId + "?after=3#top");
  BOOST_REQUIRE(album);
  BOOST_TEST((album->kind == SiteLink::Kind::album_page));
  const auto file = parse_site_link(base, base + "/images/" + kName);
  BOOST_REQUIRE(file);
  BOOST_TEST((file->kind == SiteLink::Kind::image_file));
  BOOST_TEST(file->key == kName);

  for (const std::string& url : std::initializer_list<std::string>{
           "http://img.example/i/" + kId,          // another scheme is another site
           "https://img.example.evil/i/" + kId,    // a longer host
           "https://evil.example/i/" + kId,        // another host
           "https://img.example/i/" + kId + "x",   // not an id's shape
           "https://img.example/i/" + kId + "/x",  // a longer path
           "https://img.example/images/thumbs/" + kName,
           "https://img.example/images/" + kName + ".exe",
           std::string("https://img.example/i/"),
           "https://img.example/I/" + kId,  // paths compare exactly
           std::string("https://img.example"),
       })
    BOOST_TEST(!parse_site_link(base, url), url);
  BOOST_TEST(!parse_site_link("", "/i/" + kId), "no public base URL: no link is the site's");
  // A base with a path: the path compares exactly, the host without regard to case.
  BOOST_TEST(parse_site_link("https://x.example/pics", "https://X.example/pics/i/" + kId).has_value());
  BOOST_TEST(!parse_site_link("https://x.example/pics", "https://x.example/PICS/i/" + kId).has_value());
}

BOOST_AUTO_TEST_CASE(fit_box_keeps_the_aspect_and_never_enlarges) {
  using imghost::fit_box;
  BOOST_TEST((fit_box(640, 480, 320, 10000) == std::pair<std::uint32_t, std::uint32_t>{320, 240}));
  BOOST_TEST((fit_box(640, 480, 10000, 120) == std::pair<std::uint32_t, std::uint32_t>{160, 120}));
  BOOST_TEST((fit_box(640, 480, 400, 150) == std::pair<std::uint32_t, std::uint32_t>{200, 150}));
  BOOST_TEST((fit_box(640, 480, 5000, 5000) == std::pair<std::uint32_t, std::uint32_t>{640, 480}));
  BOOST_TEST((fit_box(4000, 1, 100, 100) == std::pair<std::uint32_t, std::uint32_t>{100, 1}));
  BOOST_TEST((fit_box(90, 120, 0xFFFFFFFFu, 60) == std::pair<std::uint32_t, std::uint32_t>{45, 60}));
}

BOOST_AUTO_TEST_CASE(url_encode_leaves_only_unreserved_characters) {
  BOOST_TEST(imghost::text::url_encode("https://img.example/i/ab?x=1&y=é") ==
             "https%3A%2F%2Fimg.example%2Fi%2Fab%3Fx%3D1%26y%3D%C3%A9");
  std::string back;
  BOOST_TEST(imghost::text::url_decode(imghost::text::url_encode("a b+c%"), back));
  BOOST_TEST(back == "a b+c%");
}

BOOST_AUTO_TEST_CASE(page_tags_are_absolute_and_escaped_or_absent) {
  imghost::ImageRecord r;
  r.id = kId;
  r.name = kName;
  r.format = "jpeg";
  r.width = 640;
  r.height = 480;
  r.description = "a \"quoted\" <cat>";
  const imghost::StaticAssets assets{};
  const auto none = imghost::Config::from("", {});
  BOOST_TEST(imghost::pages::image_preview_tags({none, assets}, r).empty());
  const auto c = imghost::Config::from("public_base_url = https://img.example/", {});
  const auto tags = imghost::pages::image_preview_tags({c, assets}, r);
  BOOST_TEST(tags.find("<meta property=\"og:image\" content=\"https://img.example/images/" + kName + "\">") !=
             std::string::npos);
  BOOST_TEST(tags.find("<meta property=\"og:image:width\" content=\"640\">") != std::string::npos);
  BOOST_TEST(tags.find("<meta property=\"og:title\" content=\"a &quot;quoted&quot; &lt;cat&gt;\">") !=
             std::string::npos);
  BOOST_TEST(tags.find("href=\"https://img.example/api/oembed?url=https%3A%2F%2Fimg.example%2Fi%2F" + kId +
                       "&amp;format=json\"") != std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()
