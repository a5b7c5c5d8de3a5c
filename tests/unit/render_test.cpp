#include <boost/test/unit_test.hpp>

#include "domain/config.hpp"
#include "domain/static_assets.hpp"
#include "http/cookies.hpp"
#include "render/html.hpp"
#include "render/share_codes.hpp"
#include "render/units.hpp"

namespace share_codes = imghost::share_codes;
namespace units = imghost::units;

BOOST_AUTO_TEST_SUITE(render)

namespace {

std::string code(const std::vector<share_codes::Code>& list, const std::string& key) {
  for (const auto& c : list)
    if (c.key == key) return c.value;
  BOOST_FAIL("no code " + key);
  return {};
}

share_codes::ImageLinks links(std::string alt) {
  return {"/i/abc", "/images/n.jpg", "/images/thumbs/n.jpg", std::move(alt), 640, 480, 320, 240};
}

}  // namespace

BOOST_AUTO_TEST_CASE(a_pager_links_the_first_and_the_next_page_when_there_are_others) {
  using imghost::pages::pager;
  using imghost::pages::PagerLink;
  BOOST_TEST(pager("Catalog pages", std::nullopt, std::nullopt) == "", "a single page has no navigation");
  BOOST_TEST(pager("Catalog pages", std::nullopt, PagerLink{"/images/?cursor=a&b", "Older"}) ==
             "<nav class=\"pager\" aria-label=\"Catalog pages\"><a href=\"/images/?cursor=a&amp;b\">Older &raquo;</a>"
             "</nav>");
  BOOST_TEST(pager("Pages \"x\"", PagerLink{"/images/", "Newest"}, std::nullopt) ==
             "<nav class=\"pager\" aria-label=\"Pages &quot;x&quot;\"><a href=\"/images/\">&laquo; Newest</a></nav>");
}

BOOST_AUTO_TEST_CASE(codes_for_a_plain_description) {
  const auto all = share_codes::all_codes(links("a cat"));
  BOOST_TEST(all.size() == 8u);
  BOOST_TEST(code(all, "direct") == "/images/n.jpg");
  BOOST_TEST(code(all, "direct-thumb") == "/images/thumbs/n.jpg");
  BOOST_TEST(code(all, "html") == R"(<img src="/images/n.jpg" alt="a cat" width="640" height="480">)");
  BOOST_TEST(code(all, "html-thumb") ==
             R"(<a href="/images/n.jpg"><img src="/images/thumbs/n.jpg" alt="a cat" width="320" height="240"></a>)");
  BOOST_TEST(code(all, "markdown") == "![a cat](/images/n.jpg)");
  BOOST_TEST(code(all, "markdown-thumb") == "[![a cat](/images/thumbs/n.jpg)](/images/n.jpg)");
  BOOST_TEST(code(all, "bbcode") == "[img]/images/n.jpg[/img]");
  BOOST_TEST(code(all, "bbcode-thumb") == "[url=/images/n.jpg][img]/images/thumbs/n.jpg[/img][/url]");
}

BOOST_AUTO_TEST_CASE(codes_escape_what_would_break_their_language) {
  const auto all = share_codes::all_codes(links("a ] [b](javascript:x) \"q\" <s>\n*bold*"));
  BOOST_TEST(code(all, "markdown") == R"(![a \] \[b\]\(javascript:x\) "q" \<s\> \*bold\*](/images/n.jpg))");
  BOOST_TEST(
      code(all, "html") ==
      R"(<img src="/images/n.jpg" alt="a ] [b](javascript:x) &quot;q&quot; &lt;s&gt; *bold*" width="640" height="480">)");
  // A base URL with characters that end a Markdown destination or a BBCode tag.
  share_codes::ImageLinks odd{"/i/x", "https://h/a b)[c].jpg", "https://h/t.jpg", "x", 1, 1, 1, 1};
  const auto odd_codes = share_codes::all_codes(odd);
  BOOST_TEST(code(odd_codes, "markdown") == "![x](https://h/a%20b%29%5Bc%5D.jpg)");
  BOOST_TEST(code(odd_codes, "bbcode") == "[img]https://h/a%20b%29%5Bc%5D.jpg[/img]");
}

BOOST_AUTO_TEST_CASE(codes_for_a_video_play_or_link_it) {
  share_codes::ImageLinks v{"/i/v", "/images/v.mp4", "/images/thumbs/v.mp4", "a \"clip\"", 640, 360, 320, 180, true};
  const auto all = share_codes::all_codes(v);
  BOOST_TEST(all.size() == 8u);
  BOOST_TEST(code(all, "direct") == "/images/v.mp4");
  BOOST_TEST(code(all, "html") ==
             R"(<video controls preload="metadata" src="/images/v.mp4" poster="/images/thumbs/v.mp4" width="640" )"
             R"(height="360"></video>)");
  BOOST_TEST(code(all, "markdown") == "[a \"clip\"](/images/v.mp4)");
  BOOST_TEST(code(all, "bbcode") == "[url]/images/v.mp4[/url]");
  // The poster linking to the video, as an image's thumbnail links to the image.
  BOOST_TEST(code(all, "markdown-thumb") == "[![a \"clip\"](/images/thumbs/v.mp4)](/images/v.mp4)");
}

BOOST_AUTO_TEST_CASE(short_codes_are_the_page_the_link_and_thumbnail_forms) {
  std::vector<std::string> keys;
  for (const auto& c : share_codes::short_codes(links("x"))) keys.push_back(c.key);
  const std::vector<std::string> want{"page", "direct", "html-thumb", "markdown-thumb", "bbcode-thumb"};
  BOOST_TEST(keys == want, boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(one_line_and_markdown_text) {
  BOOST_TEST(share_codes::one_line("  a\r\n\tb  c ") == "a b c");
  BOOST_TEST(share_codes::markdown_text("x_y|z~!#&") == R"(x\_y\|z\~\!\#\&)");
}

BOOST_AUTO_TEST_CASE(sizes_in_human_units) {
  struct Case {
    std::uint64_t bytes;
    const char* text;
  };
  const Case cases[] = {{0, "0 bytes"},
                        {1, "1 byte"},
                        {1023, "1023 bytes"},
                        {1024, "1 KiB"},
                        {1536, "1.5 KiB"},
                        {12 * 1024, "12 KiB"},
                        {2'600'000, "2.5 MiB"},
                        {5u << 20, "5 MiB"},
                        {(5u << 20) + (64u << 10), "5.1 MiB"},
                        {100u << 20, "100 MiB"},
                        {1023u << 20, "1023 MiB"},
                        {3ull << 30, "3 GiB"}};
  for (const auto& c : cases) BOOST_TEST(units::human_size(c.bytes) == c.text, c.bytes);
  const auto config = imghost::Config::from("max_files = 1\nformats = png", {});
  BOOST_TEST(units::upload_limits(config) == "PNG, up to 5 MiB each, at most 1 file per upload");
  BOOST_TEST(units::video_limits(config) == "MP4 or WebM videos up to 200 MiB and 10 minutes each");
  BOOST_TEST(units::video_limits(imghost::Config::from("max_video_duration = 90\nvideo_formats = webm", {})) ==
             "WebM videos up to 200 MiB and 90 seconds each");
  BOOST_TEST(units::video_limits(imghost::Config::from("video_formats =", {})).empty());
}

BOOST_AUTO_TEST_CASE(cookie_header_values) {
  using imghost::http::cookie_value;
  BOOST_TEST(*cookie_value("a=1; imghost_delete=x.y-z.w; b=2", "imghost_delete") == "x.y-z.w");
  BOOST_TEST(*cookie_value("imghost_delete=\"q\"", "imghost_delete") == "q");
  BOOST_TEST(*cookie_value(" b = 2 ;a=1", "b") == "2");
  BOOST_TEST(!cookie_value("xb=1; b_=2", "b"));
  BOOST_TEST(!cookie_value("", "b"));
  BOOST_TEST(*cookie_value("b=; b=2", "b") == "", "the first one counts");
}

BOOST_AUTO_TEST_CASE(page_policy_allows_the_public_base_url_for_images_and_videos_only) {
  const auto plain = imghost::pages::content_security_policy(imghost::Config::from("", {}));
  BOOST_TEST(plain.find("img-src 'self' data: blob:;") != std::string::npos);
  BOOST_TEST(plain.find("media-src 'self' blob:;") != std::string::npos);
  BOOST_TEST(plain.find("frame-ancestors 'none'") != std::string::npos);
  BOOST_TEST(plain.find("script-src 'self';") != std::string::npos);
  BOOST_TEST(plain.find("unsafe-inline") == std::string::npos);
  const auto cdn =
      imghost::pages::content_security_policy(imghost::Config::from("public_base_url = https://cdn.example/x", {}));
  BOOST_TEST(cdn.find("img-src 'self' data: blob: https://cdn.example;") != std::string::npos);
  BOOST_TEST(cdn.find("media-src 'self' blob: https://cdn.example;") != std::string::npos);
  BOOST_TEST(cdn.find("script-src 'self';") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(static_files_are_named_by_their_content_or_plainly_when_missing) {
  const auto a = imghost::StaticAssets::load("static");  // the tests run from the project's root
  BOOST_TEST(a.problem.empty(), a.problem);
  // "/static/<stem>.<10 hex digits>.<ext>"
  const auto versioned = [](const std::string& url) {
    const auto dot = url.find('.');
    if (!url.starts_with("/static/") || dot == std::string::npos || url.size() < dot + 12) return false;
    const auto digest = url.substr(dot + 1, 10);
    return digest.find_first_not_of("0123456789abcdef") == std::string::npos && url[dot + 11] == '.';
  };
  for (const auto& url : {a.stylesheet, a.script, a.icon}) BOOST_TEST(versioned(url), url);
  BOOST_TEST(a.stylesheet.ends_with(".css"));
  const auto missing = imghost::StaticAssets::load("no-such-folder");
  BOOST_TEST(missing.stylesheet == "/static/site.css");
  BOOST_TEST(missing.icon == "/static/icon.svg");
  BOOST_TEST(missing.problem.find("no-such-folder/site.css") != std::string::npos, missing.problem);
}

BOOST_AUTO_TEST_CASE(expiry_is_said_in_rounded_minutes_hours_and_days) {
  struct Case {
    long long seconds;
    const char* text;
  };
  const Case cases[] = {
      {-5, "has expired"},
      {0, "has expired"},
      {1, "expires in less than a minute"},
      {29, "expires in less than a minute"},
      {30, "expires in 1 minute"},
      {89, "expires in 1 minute"},
      {90, "expires in 2 minutes"},
      {599, "expires in 10 minutes"},  // a "10 minutes" upload, a second later
      {3569, "expires in 59 minutes"},
      {3570, "expires in 1 hour"},
      {3600, "expires in 1 hour"},
      {5399, "expires in 1 hour"},
      {5400, "expires in 2 hours"},
      {84599, "expires in 23 hours"},
      {84600, "expires in 1 day"},
      {86399, "expires in 1 day"},
      {129600, "expires in 2 days"},
      {604800 - 3, "expires in 7 days"},  // "1 week"
      {30LL * 86400, "expires in 30 days"},
  };
  for (const auto& c : cases) BOOST_TEST(units::expires_in(c.seconds) == c.text, c.seconds);
}

BOOST_AUTO_TEST_CASE(seconds_until_reads_the_repositories_times) {
  const std::time_t now = 1795428000;  // 2026-11-23T10:00:00Z
  BOOST_TEST(units::seconds_until("2026-11-23T10:00:00Z", now).value_or(-1) == 0);
  BOOST_TEST(units::seconds_until("2026-11-23T10:10:00Z", now).value_or(-1) == 600);
  BOOST_TEST(units::seconds_until("2026-11-24T10:00:00Z", now).value_or(-1) == 86400);
  BOOST_TEST(units::seconds_until("2026-11-23T09:59:00Z", now).value_or(-1) == -60);
  BOOST_TEST(units::seconds_until("2027-01-01T00:00:00Z", now).value_or(-1) == 3333600);  // across a year's end
  for (const char* bad : {"", "2026-11-23", "2026-11-23 10:00:00Z", "2026-11-23T10:00:00", "2026-13-01T00:00:00Z",
                          "2026-11-23T10:00:0xZ", "2026-11-23T10:00:00Z "})
    BOOST_TEST(!units::seconds_until(bad, now).has_value(), bad);
}

BOOST_AUTO_TEST_SUITE_END()
