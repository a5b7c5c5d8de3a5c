#include <boost/test/unit_test.hpp>
#include <nlohmann/json.hpp>

#include "render/json.hpp"

namespace views = imghost::views;
using nlohmann::json;

BOOST_AUTO_TEST_SUITE(json_views)

namespace {

imghost::ImageRecord record(int n, std::string original, std::optional<std::string> description) {
  imghost::ImageRecord r;
  r.seq = n;
  r.id = "abcdefghijklmnopqrs" + std::to_string(n % 10);
  r.name = "abcdefghijklmnopqrst.png";
  r.original_filename = std::move(original);
  r.format = n % 2 ? "png" : "unknown";  // an unknown format gets the generic type
  r.size = 1234567890123LL + n;
  r.width = 20000;
  r.height = n;
  r.sha256 = std::string(64, 'f');
  r.description = std::move(description);
  r.created_at = "2026-11-29T19:00:00Z";
  r.visibility = n % 2 ? imghost::Visibility::public_ : imghost::Visibility::unlisted;
  if (n % 3 == 0) {  // a video, silent every other time
    r.kind = "video";
    r.format = "mp4";
    r.duration = 12.3456789 * static_cast<double>(n + 1);
    r.video_codec = "h264";
    if (n % 2) r.audio_codec = "aac";
  }
  return r;
}

}  // namespace

// The list page written directly is the document the nlohmann tree gives, for text that
// needs every kind of escape, non-ASCII text, no description, an empty list, and text
// that is not valid UTF-8 (replaced as dump() replaces it).
BOOST_AUTO_TEST_CASE(the_direct_list_writer_gives_the_same_document_as_the_tree) {
  const std::vector<imghost::ImageRecord> records{
      record(1, "quote \" backslash \\ slash / tab \t newline \n cr \r bell \x07 nul-free \x1f del \x7f", "x"),
      record(2, "caf\xc3\xa9 \xe6\x97\xa5\xe6\x9c\xac \xf0\x9f\x90\x88.png", std::nullopt),
      record(3, "bad \xff\xfe utf-8.png", std::string("line\nbreak \b\f")),
      record(4, "", std::string("")),
      // Escapes and a good sequence before what is not UTF-8: none of it may stay twice.
      record(5, "quote \" caf\xc3\xa9 then a cut sequence \xe6\x97", std::string("\xc3")),
  };
  for (const std::string& base : {std::string(), std::string("https://img.example")}) {
    for (std::size_t n = 0; n <= records.size(); ++n) {
      const std::vector<imghost::ImageRecord> items(records.begin(), records.begin() + static_cast<long>(n));
      for (const auto& cursor : {std::optional<std::string>(), std::optional<std::string>("123")}) {
        json tree = json::array();
        for (const auto& r : items) tree.push_back(views::image_json(r, base));
        const json want = json::parse(
            views::dump({{"items", std::move(tree)}, {"next_cursor", cursor ? json(*cursor) : json(nullptr)}}));
        const std::string direct = views::image_list_json(items, cursor, base);
        BOOST_TEST(json::parse(direct) == want, direct);
      }
    }
  }
}

BOOST_AUTO_TEST_SUITE_END()
