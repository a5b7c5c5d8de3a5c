#include <boost/test/unit_test.hpp>

#include <optional>
#include <set>

#include "base/text.hpp"
#include "domain/naming.hpp"

namespace naming = imghost::naming;
namespace text = imghost::text;

BOOST_AUTO_TEST_SUITE(naming_and_text)

BOOST_AUTO_TEST_CASE(generated_names_are_valid_distinct_and_sharded) {
  std::set<std::string> seen;
  for (int i = 0; i < 2000; ++i) {
    const auto id = naming::new_image_id();
    const auto name = naming::new_file_name(imghost::image::Format::png);
    BOOST_TEST(naming::is_image_id(id));
    BOOST_TEST(naming::is_file_name(name));
    BOOST_TEST(name.size() == naming::kNameChars + 4);
    BOOST_TEST(seen.insert(id).second);
    BOOST_TEST(seen.insert(name).second);
  }
  BOOST_TEST(naming::new_delete_token().size() == naming::kTokenChars);
}

BOOST_AUTO_TEST_CASE(names_from_outside_are_checked) {
  struct Case {
    const char* s;
    bool id, file;
  };
  const Case cases[] = {
      {"abcdefghijklmnopqrst", true, false},       {"abcdefghijklmnopqrs", false, false},
      {"ABCDEFGHIJKLMNOPQRST", false, false},      {"abcdefghijklmnopqr01", false, false},  // 0 and 1 are not base32
      {"abcdefghijklmnopqrst.jpg", false, true},   {"abcdefghijklmnopqrst.webp", false, true},
      {"abcdefghijklmnopqrst.svg", false, false},  {"abcdefghijklmnopqrst.jpg/", false, false},
      {"../../etc/passwd.jpgxxxxx", false, false}, {"", false, false},
  };
  for (const auto& c : cases) {
    BOOST_TEST_CONTEXT(c.s) {
      BOOST_TEST(naming::is_image_id(c.s) == c.id);
      BOOST_TEST(naming::is_file_name(c.s) == c.file);
    }
  }
}

BOOST_AUTO_TEST_CASE(client_file_names_are_cleaned) {
  struct Case {
    std::string in, out;
  };
  const Case cases[] = {
      {"cat.jpg", "cat.jpg"},
      {"../../etc/passwd.jpg", "passwd.jpg"},
      {"C:\\Users\\me\\win.png", "win.png"},
      {"new\nline\t.png", "new_line_.png"},
      {"кот.png", "кот.png"},
      {std::string("bad\xff.png"), "bad\xEF\xBF\xBD.png"},
      {std::string("\xED\xA0\x80.png"), "\xEF\xBF\xBD\xEF\xBF\xBD\xEF\xBF\xBD.png"},  // a surrogate
      {"dir/", ""},
      {"a\u0085b\u2028c.png", "a_b_c.png"},  // NEL (C1) and the line separator
      {"cat\u202Egnp.exe", "cat_gnp.exe"},   // a right-to-left override
      {"\u200Fx\u2066y\u2069.png", "_x_y_.png"},
      {"\u00e9t\u00e9.png", "\u00e9t\u00e9.png"},  // letters beyond ASCII stay
      {std::string(300, 'a'), std::string(255, 'a')},
  };
  for (const auto& c : cases) {
    BOOST_TEST_CONTEXT(c.in) { BOOST_TEST(text::clean_filename(c.in) == c.out); }
  }
  // A long Cyrillic name is cut on a character boundary.
  std::string longname;
  for (int i = 0; i < 200; ++i) longname += "ж";
  const auto cut = text::clean_filename(longname);
  BOOST_TEST(cut.size() <= 255u);
  BOOST_TEST(text::is_valid_utf8(cut));
}

BOOST_AUTO_TEST_CASE(query_parameters) {
  std::string v;
  BOOST_TEST(text::query_param("limit=5&cursor=12", "cursor", v));
  BOOST_TEST(v == "12");
  BOOST_TEST(text::query_param("a=1&token=x%2By+z", "token", v));
  BOOST_TEST(v == "x+y z");
  BOOST_TEST(!text::query_param("a=1", "token", v));
  BOOST_TEST(!text::query_param("token=%G1", "token", v));
  BOOST_TEST(!text::query_param("token=%4", "token", v));
  BOOST_TEST(text::query_param("token", "token", v));
  BOOST_TEST(v.empty());
}

BOOST_AUTO_TEST_CASE(utf8_rules) {
  BOOST_TEST(text::is_valid_utf8("plain"));
  BOOST_TEST(text::is_valid_utf8("кот 🐈"));
  BOOST_TEST(!text::is_valid_utf8(std::string("\xC0\xAF")));  // overlong '/'
  BOOST_TEST(!text::is_valid_utf8(std::string("\xF5\x80\x80\x80")));
  BOOST_TEST(text::utf8_length("кот 🐈") == 5u);
}

BOOST_AUTO_TEST_CASE(controls_in_free_text) {
  struct Case {
    std::string in;
    std::optional<char32_t> found;
  };
  const Case cases[] = {
      {"a cat\non two lines\r\n\twith a tab", std::nullopt},
      {"\u05e9\u05dc\u05d5\u05dd \u200F!", std::nullopt},  // Hebrew with a right-to-left mark: text, not control
      {std::string("cut\0here", 8), U'\0'},
      {"bell\a", U'\a'},
      {"esc\x1b[31m", U'\x1b'},
      {"del\x7f", U'\x7f'},
      {"nel\u0085", U'\u0085'},
  };
  for (const auto& c : cases) {
    BOOST_TEST_CONTEXT(c.in) { BOOST_TEST((text::first_forbidden_control(c.in) == c.found)); }
  }
}

BOOST_AUTO_TEST_CASE(utf8_sequences_decode_to_code_points) {
  struct Case {
    std::string s;
    std::size_t len;
    char32_t cp;
  };
  const Case cases[] = {
      {"A", 1, U'A'},     {"\u00e9", 2, U'\u00e9'}, {"\u20ac", 3, U'\u20ac'},   {"\U0001F408", 4, U'\U0001F408'},
      {"\xC0\xAF", 0, 0}, {"\xE2\x82", 0, 0},       {"\xF4\x90\x80\x80", 0, 0},
  };
  for (const auto& c : cases) {
    BOOST_TEST_CONTEXT(c.s) {
      char32_t cp = 0;
      BOOST_TEST(text::utf8_sequence(c.s, 0, &cp) == c.len);
      if (c.len) BOOST_TEST(static_cast<unsigned>(cp) == static_cast<unsigned>(c.cp));
    }
  }
}

BOOST_AUTO_TEST_CASE(key_value_files) {
  // Comments, blank lines, CRLF endings, '=' inside a value, a line without '=' (kept
  // for the caller to refuse with its own message), no newline at the end.
  const auto kv = text::key_values(
      "# a comment\n\n  max_files = 20 \r\nsecret=a=b # trailing\n\t\r\nno equals here\nempty =\nlast = 1");
  BOOST_REQUIRE_EQUAL(kv.size(), 5u);
  BOOST_TEST(kv[0].line == 3);
  BOOST_TEST(kv[0].key == "max_files");
  BOOST_TEST(kv[0].value.value_or("?") == "20");
  BOOST_TEST(kv[1].line == 4);
  BOOST_TEST(kv[1].key == "secret");
  BOOST_TEST(kv[1].value.value_or("?") == "a=b");
  BOOST_TEST(kv[2].line == 6);
  BOOST_TEST(kv[2].key == "no equals here");
  BOOST_TEST(!kv[2].value.has_value());
  BOOST_TEST(kv[3].key == "empty");
  BOOST_TEST(kv[3].value.value_or("?") == "");
  BOOST_TEST(kv[4].line == 8);
  BOOST_TEST(kv[4].value.value_or("?") == "1");
  BOOST_TEST(text::key_values("").empty());
  BOOST_TEST(text::trim(" \t x y \r") == "x y");
  BOOST_TEST(text::trim(" \t\r").empty());
}

BOOST_AUTO_TEST_CASE(sizes) {
  const struct {
    const char* text;
    std::optional<std::uint64_t> bytes;
  } cases[] = {
      {"1000000", 1000000},
      {"5M", 5u << 20},
      {"5MiB", 5u << 20},
      {"5mB", 5u << 20},
      {"512k", 512u << 10},
      {"10G", 10ull << 30},
      {"2T", 2ull << 40},
      {"0", 0},
      {"", std::nullopt},
      {"M", std::nullopt},
      {"-1", std::nullopt},
      {"5X", std::nullopt},
      {"5MB ", std::nullopt},
      {"5MiBs", std::nullopt},
      {"1.5G", std::nullopt},
      {"9000000T", std::nullopt},              // past 63 bits once multiplied
      {"99999999999999999999", std::nullopt},  // past 64 bits as written
  };
  for (const auto& c : cases) {
    const auto got = text::parse_size(c.text);
    BOOST_TEST(got.has_value() == c.bytes.has_value(), c.text);
    if (got && c.bytes) BOOST_TEST(*got == *c.bytes, c.text);
  }
}

BOOST_AUTO_TEST_SUITE_END()
