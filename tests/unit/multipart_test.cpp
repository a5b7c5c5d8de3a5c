// multipart::parse and multipart::boundary_from_content_type, table-driven.
#include <boost/test/unit_test.hpp>

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "http/multipart.hpp"

namespace mp = imghost::multipart;
using namespace std::string_literals;

namespace {

struct ExpectedPart {
  std::string name;
  std::optional<std::string> filename;
  std::string content_type;
  std::string body;
};

struct ParseCase {
  std::string name;
  std::string body;
  std::vector<ExpectedPart> parts = {};  // checked when error is empty
  std::string error = {};                // the expected ParseError::what()
  std::string boundary = "bound";
  mp::Limits limits = {};
};

// One form-data part with only a name, framed by "--bound".
std::string field(std::string_view name, std::string_view value) {
  return "--bound\r\nContent-Disposition: form-data; name=\"" + std::string(name) + "\"\r\n\r\n" + std::string(value) +
         "\r\n";
}

// A body whose first part has a header block of exactly `bytes`, empty line included.
std::string header_block_of(std::size_t bytes) {
  const std::string head = "Content-Disposition: form-data; name=a\r\nX-Pad: ";
  const std::string tail = "\r\n\r\n";
  return "--bound\r\n" + head + std::string(bytes - head.size() - tail.size(), 'p') + tail + "v\r\n--bound--";
}

std::string fields(std::size_t n) {
  std::string body;
  for (std::size_t i = 0; i < n; ++i) body += field("f", "x");
  return body + "--bound--\r\n";
}

std::vector<ExpectedPart> expected_fields(std::size_t n) {
  return std::vector<ExpectedPart>(n, ExpectedPart{"f", std::nullopt, "", "x"});
}

const std::string kCd = "Content-Disposition: form-data; ";

// A table of cases, laid out by hand.
// clang-format off
const std::vector<ParseCase> kParseCases = {
    // --- framing ---
    {.name = "one field",
     .body = field("a", "hello") + "--bound--\r\n",
     .parts = {{"a", std::nullopt, "", "hello"}}},
    {.name = "file with content type, binary body kept byte for byte",
     .body = "--bound\r\n" + kCd + "name=\"file\"; filename=\"cat.jpg\"\r\n"
             "Content-Type: image/jpeg\r\n\r\n"
             "\xff\xd8\x00\r\n\n\r\x00\xff\r\n--bound--\r\n"s,
     .parts = {{"file", "cat.jpg", "image/jpeg", "\xff\xd8\x00\r\n\n\r\x00\xff"s}}},
    {.name = "several parts in order",
     .body = field("a", "1") + field("b", "22") +
             "--bound\r\n" + kCd + "name=\"file\"; filename=\"x.png\"\r\n\r\nPNG\r\n--bound--",
     .parts = {{"a", std::nullopt, "", "1"},
               {"b", std::nullopt, "", "22"},
               {"file", "x.png", "", "PNG"}}},
    {.name = "repeated file fields are all returned",
     .body = "--bound\r\n" + kCd + "name=\"file\"; filename=\"1.jpg\"\r\n\r\nA\r\n"
             "--bound\r\n" + kCd + "name=\"file\"; filename=\"2.jpg\"\r\n\r\nB\r\n--bound--",
     .parts = {{"file", "1.jpg", "", "A"}, {"file", "2.jpg", "", "B"}}},
    {.name = "empty part body, canonical form",
     .body = "--bound\r\n" + kCd + "name=\"file\"; filename=\"\"\r\n"
             "Content-Type: application/octet-stream\r\n\r\n\r\n--bound--\r\n",
     .parts = {{"file", "", "application/octet-stream", ""}}},
    {.name = "empty part body, delimiter right after the empty line",
     .body = "--bound\r\n" + kCd + "name=a\r\n\r\n--bound\r\n" + kCd +
             "name=b\r\n\r\n--bound--",
     .parts = {{"a", std::nullopt, "", ""}, {"b", std::nullopt, "", ""}}},
    {.name = "body that is only a CRLF",
     .body = "--bound\r\n" + kCd + "name=a\r\n\r\n\r\n\r\n--bound--",
     .parts = {{"a", std::nullopt, "", "\r\n"}}},
    {.name = "no parts: first delimiter is the close delimiter",
     .body = "--bound--\r\n",
     .parts = {}},
    {.name = "delimiter after a leading CRLF",
     .body = "\r\n" + field("a", "v") + "--bound--",
     .parts = {{"a", std::nullopt, "", "v"}}},
    {.name = "preamble and epilogue ignored",
     .body = "This is the preamble.\r\nIt has --bound in it.\r\n" + field("a", "v") +
             "--bound--\r\nepilogue\r\n--bound\r\ngarbage: --bound--",
     .parts = {{"a", std::nullopt, "", "v"}}},
    {.name = "close delimiter followed directly by junk",
     .body = field("a", "v") + "--bound--junk",
     .parts = {{"a", std::nullopt, "", "v"}}},
    {.name = "transport padding after delimiters",
     .body = "--bound \t\r\n" + kCd + "name=a\r\n\r\nv\r\n--bound  \r\n" + kCd +
             "name=b\r\n\r\nw\r\n--bound--  \r\n",
     .parts = {{"a", std::nullopt, "", "v"}, {"b", std::nullopt, "", "w"}}},
    {.name = "boundary inside data, not at a line start",
     .body = field("a", "x--bound\r\ny --bound--\r\n\n--bound\r\n\r--bound--") + "--bound--",
     .parts = {{"a", std::nullopt, "", "x--bound\r\ny --bound--\r\n\n--bound\r\n\r--bound--"}}},
    {.name = "line starting with the boundary but longer is data",
     .body = field("a", "1\r\n--bound2\r\n--bound-x\r\n--bound x\r\n--boundary") + "--bound--",
     .parts = {{"a", std::nullopt, "", "1\r\n--bound2\r\n--bound-x\r\n--bound x\r\n--boundary"}}},
    {.name = "boundary prefix at the end of data",
     .body = field("a", "abc\r\n--boun") + "--bound--",
     .parts = {{"a", std::nullopt, "", "abc\r\n--boun"}}},
    {.name = "data ending in CR, CRLF and dashes",
     .body = field("a", "x\r") + field("b", "y\r\n") + field("c", "\r\n--") + "--bound--",
     .parts = {{"a", std::nullopt, "", "x\r"},
               {"b", std::nullopt, "", "y\r\n"},
               {"c", std::nullopt, "", "\r\n--"}}},
    {.name = "boundary made of RFC 2046 specials",
     .body = "--'()+_,-./:=?\r\n" + kCd + "name=a\r\n\r\nv\r\n--'()+_,-./:=?--",
     .parts = {{"a", std::nullopt, "", "v"}},
     .boundary = "'()+_,-./:=?"},
    // --- truncation and framing errors ---
    {.name = "no first boundary",
     .body = "hello world\r\n--other\r\n",
     .error = "no first boundary"},
    {.name = "empty body",
     .body = "",
     .error = "no first boundary"},
    {.name = "boundary not at a line start is not the first boundary",
     .body = "x--bound\r\n" + kCd + "name=a\r\n\r\nv\r\nx--bound--",
     .error = "no first boundary"},
    {.name = "missing closing boundary",
     .body = field("a", "v"),
     .error = "missing closing boundary"},
    {.name = "missing closing boundary, data runs to the end",
     .body = "--bound\r\n" + kCd + "name=a\r\n\r\nhello",
     .error = "missing closing boundary"},
    {.name = "body ends with CR inside the data",
     .body = "--bound\r\n" + kCd + "name=a\r\n\r\nhello\r",
     .error = "missing closing boundary"},
    {.name = "body ends with CR after a delimiter",
     .body = field("a", "v") + "--bound\r",
     .error = "missing closing boundary"},
    {.name = "body ends right after the boundary string",
     .body = field("a", "v") + "--bound",
     .error = "missing closing boundary"},
    {.name = "body ends inside the header block",
     .body = "--bound\r\n" + kCd + "name=a\r\n",
     .error = "missing closing boundary"},
    {.name = "body ends right after a delimiter line",
     .body = "--bound\r\n",
     .error = "missing closing boundary"},
    {.name = "LF-only body is rejected",
     .body = "--bound\n" "Content-Disposition: form-data; name=a\n\nv\n--bound--\n",
     .error = "boundary line not ended by CRLF"},
    {.name = "LF-only delimiter line inside the body is rejected",
     .body = field("a", "v\r\n--bound\n" + kCd + "name=b\n\nw") + "--bound--",
     .error = "boundary line not ended by CRLF"},
    {.name = "bare CR after the boundary is rejected",
     .body = "--bound\rx\r\n",
     .error = "boundary line not ended by CRLF"},
    {.name = "LF-only header lines are rejected",
     .body = "--bound\r\nContent-Disposition: form-data; name=a\n\nv\r\n--bound--",
     .error = "part header line not ended by CRLF"},
    {.name = "LF-only empty line ending the headers is rejected",
     .body = "--bound\r\n" + kCd + "name=a\r\n\nv\r\n--bound--",
     .error = "part header line not ended by CRLF"},
    {.name = "bare CR inside a header line is rejected",
     .body = "--bound\r\n" + kCd + "name=a\rX-Y: z\r\n\r\nv\r\n--bound--",
     .error = "part header line not ended by CRLF"},
    {.name = "empty boundary",
     .body = "--\r\n" + kCd + "name=a\r\n\r\nv\r\n----",
     .error = "empty boundary",
     .boundary = ""},
    // --- headers ---
    {.name = "header names and parameter names are case-insensitive",
     .body = "--bound\r\ncontent-DISPOSITION: FORM-DATA; NAME=\"a\"; FileName=\"x.gif\"\r\n"
             "CONTENT-TYPE: image/gif\r\n\r\nGIF\r\n--bound--",
     .parts = {{"a", "x.gif", "image/gif", "GIF"}}},
    {.name = "Content-Type captured as sent, outer whitespace trimmed",
     .body = "--bound\r\n" + kCd + "name=t\r\nContent-Type: \t text/plain; charset=UTF-8 \t\r\n"
             "\r\nv\r\n--bound--",
     .parts = {{"t", std::nullopt, "text/plain; charset=UTF-8", "v"}}},
    {.name = "Content-Type before Content-Disposition",
     .body = "--bound\r\nContent-Type: image/png\r\n" + kCd + "name=f\r\n\r\nv\r\n--bound--",
     .parts = {{"f", std::nullopt, "image/png", "v"}}},
    {.name = "unknown headers ignored",
     .body = "--bound\r\nX-Foo: bar\r\nContent-Transfer-Encoding: base64\r\n" + kCd +
             "name=a\r\nX-Empty:\r\n\r\nv\r\n--bound--",
     .parts = {{"a", std::nullopt, "", "v"}}},
    {.name = "header without colon",
     .body = "--bound\r\n" + kCd + "name=a\r\nno colon here\r\n\r\nv\r\n--bound--",
     .error = "part header line without colon"},
    {.name = "missing empty line: the next delimiter reads as a header",
     .body = "--bound\r\n" + kCd + "name=a\r\n--bound--\r\n",
     .error = "part header line without colon"},
    {.name = "header name with a space",
     .body = "--bound\r\nContent Disposition: form-data; name=a\r\n\r\nv\r\n--bound--",
     .error = "bad part header name"},
    {.name = "empty header name",
     .body = "--bound\r\n: form-data; name=a\r\n\r\nv\r\n--bound--",
     .error = "bad part header name"},
    {.name = "folded header line",
     .body = "--bound\r\nContent-Disposition: form-data;\r\n name=a\r\n\r\nv\r\n--bound--",
     .error = "folded part header line"},
    {.name = "part without Content-Disposition",
     .body = "--bound\r\nContent-Type: text/plain\r\n\r\nv\r\n--bound--",
     .error = "part without Content-Disposition"},
    {.name = "part with no headers at all",
     .body = "--bound\r\n\r\nv\r\n--bound--",
     .error = "part without Content-Disposition"},
    {.name = "disposition other than form-data",
     .body = "--bound\r\nContent-Disposition: attachment; name=a\r\n\r\nv\r\n--bound--",
     .error = "part is not form-data"},
    {.name = "duplicate Content-Disposition",
     .body = "--bound\r\n" + kCd + "name=a\r\n" + kCd + "name=b\r\n\r\nv\r\n--bound--",
     .error = "duplicate Content-Disposition"},
    {.name = "duplicate Content-Type",
     .body = "--bound\r\n" + kCd + "name=a\r\nContent-Type: a/b\r\nContent-Type: c/d\r\n\r\n"
             "v\r\n--bound--",
     .error = "duplicate Content-Type"},
    {.name = "part without name",
     .body = "--bound\r\n" + kCd + "filename=\"x.jpg\"\r\n\r\nv\r\n--bound--",
     .error = "part without name"},
    {.name = "part with an empty name",
     .body = "--bound\r\n" + kCd + "name=\"\"\r\n\r\nv\r\n--bound--",
     .error = "part without name"},
    {.name = "an error in a later part fails the whole body",
     .body = field("a", "v") + "--bound\r\nContent-Type: x/y\r\n\r\nw\r\n--bound--",
     .error = "part without Content-Disposition"},
    // --- Content-Disposition parameters ---
    {.name = "token parameter values",
     .body = "--bound\r\n" + kCd + "name=file; filename=cat.jpg\r\n\r\nv\r\n--bound--",
     .parts = {{"file", "cat.jpg", "", "v"}}},
    {.name = "no whitespace, extra whitespace, empty and trailing semicolons",
     .body = "--bound\r\nContent-Disposition:form-data;name=a\r\n\r\nv\r\n"
             "--bound\r\nContent-Disposition:  form-data ;; name = \"b\" ; \r\n\r\nw\r\n--bound--",
     .parts = {{"a", std::nullopt, "", "v"}, {"b", std::nullopt, "", "w"}}},
    {.name = "escaped quote and backslash in quoted-string",
     .body = "--bound\r\n" + kCd + R"(name="a\"b\\c"; filename="say \"hi\".txt")" +
             "\r\n\r\nv\r\n--bound--",
     .parts = {{R"(a"b\c)", R"(say "hi".txt)", "", "v"}}},
    {.name = "unescaped Windows path kept as is",
     .body = "--bound\r\n" + kCd + R"(name="file"; filename="C:\dir\file.jpg")" +
             "\r\n\r\nv\r\n--bound--",
     .parts = {{"file", R"(C:\dir\file.jpg)", "", "v"}}},
    {.name = "semicolon and equals sign inside quoted-string",
     .body = "--bound\r\n" + kCd + "name=\"a;b=c\"; filename=\"x; name=y\"\r\n\r\nv\r\n--bound--",
     .parts = {{"a;b=c", "x; name=y", "", "v"}}},
    {.name = "raw UTF-8 and percent escapes in quoted filename kept as sent",
     .body = "--bound\r\n" + kCd + "name=\"file\"; filename=\"\xd0\xba\xd0\xbe\xd1\x82 %22.jpg\"" +
             "\r\n\r\nv\r\n--bound--",
     .parts = {{"file", "\xd0\xba\xd0\xbe\xd1\x82 %22.jpg", "", "v"}}},
    {.name = "filename* wins over filename",
     .body = "--bound\r\n" + kCd + "name=\"file\"; filename=\"kot.jpg\"; "
             "filename*=utf-8''%D0%BA%D0%BE%D1%82.jpg\r\n\r\nv\r\n--bound--",
     .parts = {{"file", "\xd0\xba\xd0\xbe\xd1\x82.jpg", "", "v"}}},
    {.name = "filename* wins when it comes first, charset case-insensitive",
     .body = "--bound\r\n" + kCd + "name=\"file\"; FILENAME*=UTF-8'ru'%d0%ba%d0%be%d1%82.jpg; "
             "filename=\"kot.jpg\"\r\n\r\nv\r\n--bound--",
     .parts = {{"file", "\xd0\xba\xd0\xbe\xd1\x82.jpg", "", "v"}}},
    {.name = "filename* alone",
     .body = "--bound\r\n" + kCd + "name=\"file\"; filename*=utf-8''a%20b.png\r\n\r\nv\r\n--bound--",
     .parts = {{"file", "a b.png", "", "v"}}},
    {.name = "filename* quoted is tolerated",
     .body = "--bound\r\n" + kCd + "name=\"file\"; filename*=\"utf-8''a%20b.png\"\r\n\r\nv\r\n"
             "--bound--",
     .parts = {{"file", "a b.png", "", "v"}}},
    {.name = "filename* in another charset is ignored",
     .body = "--bound\r\n" + kCd + "name=\"file\"; filename=\"e.jpg\"; "
             "filename*=iso-8859-1'fr'%E9.jpg\r\n\r\nv\r\n--bound--",
     .parts = {{"file", "e.jpg", "", "v"}}},
    {.name = "filename* with bad percent-encoding is ignored",
     .body = "--bound\r\n" + kCd + "name=\"file\"; filename=\"k.jpg\"; "
             "filename*=utf-8''%D0%B\r\n\r\nv\r\n--bound--",
     .parts = {{"file", "k.jpg", "", "v"}}},
    {.name = "filename* without charset quotes is ignored",
     .body = "--bound\r\n" + kCd + "name=\"file\"; filename*=k.jpg\r\n\r\nv\r\n--bound--",
     .parts = {{"file", std::nullopt, "", "v"}}},
    {.name = "unknown parameters ignored",
     .body = "--bound\r\n" + kCd + "size=3; name=a; creation-date=\"x\"\r\n\r\nv\r\n--bound--",
     .parts = {{"a", std::nullopt, "", "v"}}},
    {.name = "duplicate name parameter",
     .body = "--bound\r\n" + kCd + "name=a; NAME=b\r\n\r\nv\r\n--bound--",
     .error = "duplicate Content-Disposition parameter"},
    {.name = "duplicate filename parameter",
     .body = "--bound\r\n" + kCd + "name=a; filename=x; filename=y\r\n\r\nv\r\n--bound--",
     .error = "duplicate Content-Disposition parameter"},
    {.name = "unterminated quoted-string",
     .body = "--bound\r\n" + kCd + "name=\"a\r\n\r\nv\r\n--bound--",
     .error = "malformed Content-Disposition"},
    {.name = "backslash escaping the closing quote leaves it unterminated",
     .body = "--bound\r\n" + kCd + "name=\"a\\\"\r\n\r\nv\r\n--bound--",
     .error = "malformed Content-Disposition"},
    {.name = "parameter without a value",
     .body = "--bound\r\n" + kCd + "name=\r\n\r\nv\r\n--bound--",
     .error = "malformed Content-Disposition"},
    {.name = "parameter without equals sign",
     .body = "--bound\r\n" + kCd + "name\r\n\r\nv\r\n--bound--",
     .error = "malformed Content-Disposition"},
    {.name = "token value with a space",
     .body = "--bound\r\n" + kCd + "name=my field\r\n\r\nv\r\n--bound--",
     .error = "malformed Content-Disposition"},
    {.name = "junk after the disposition type",
     .body = "--bound\r\nContent-Disposition: form-data x; name=a\r\n\r\nv\r\n--bound--",
     .error = "malformed Content-Disposition"},
    // --- limits ---
    {.name = "exactly max_parts parts",
     .body = fields(2),
     .parts = expected_fields(2),
     .limits = {.max_parts = 2}},
    {.name = "one part over max_parts",
     .body = fields(3),
     .error = "too many parts",
     .limits = {.max_parts = 2}},
    {.name = "default max_parts is 64",
     .body = fields(64),
     .parts = expected_fields(64)},
    {.name = "65 parts over the default limit",
     .body = fields(65),
     .error = "too many parts"},
    {.name = "header block exactly max_header_bytes",
     .body = header_block_of(100),
     .parts = {{"a", std::nullopt, "", "v"}},
     .limits = {.max_header_bytes = 100}},
    {.name = "header block one byte over max_header_bytes",
     .body = header_block_of(101),
     .error = "part header too long",
     .limits = {.max_header_bytes = 100}},
    {.name = "header block over the default 8192 bytes",
     .body = header_block_of(8193),
     .error = "part header too long"},
    {.name = "endless header line",
     .body = "--bound\r\n" + kCd + "name=\"" + std::string(20000, 'n'),
     .error = "part header too long"},
};
// clang-format on

struct BoundaryCase {
  std::string content_type;
  std::optional<std::string> boundary;
};

const std::vector<BoundaryCase> kBoundaryCases = {
    {"multipart/form-data; boundary=abc", "abc"},
    {"multipart/form-data; boundary=----WebKitFormBoundary7MA4YWxkTrZu0gW", "----WebKitFormBoundary7MA4YWxkTrZu0gW"},
    {"multipart/form-data; boundary=\"a b:c?\"", "a b:c?"},
    {"multipart/form-data; boundary=\"a\\\"b\"", "a\"b"},
    {"MULTIPART/FORM-DATA; BOUNDARY=abc", "abc"},
    {"Multipart/Form-Data;boundary=abc", "abc"},
    {"  multipart/form-data ; boundary = abc  ", "abc"},
    {"multipart/form-data; charset=utf-8; boundary=abc", "abc"},
    {"multipart/form-data; boundary=abc; charset=utf-8", "abc"},
    {"multipart/form-data; boundary=" + std::string(70, 'x'), std::string(70, 'x')},
    {"multipart/form-data; boundary=" + std::string(71, 'x'), std::nullopt},
    {"multipart/form-data", std::nullopt},
    {"multipart/form-data;", std::nullopt},
    {"multipart/form-data; charset=utf-8", std::nullopt},
    {"multipart/form-data; boundary=", std::nullopt},
    {"multipart/form-data; boundary=\"\"", std::nullopt},
    {"multipart/form-data; boundary=\"abc", std::nullopt},
    {"multipart/form-data; boundary=\"abc \"", std::nullopt},
    {"multipart/form-data; boundary=\"a\tb\"", std::nullopt},
    {"multipart/form-data; boundary=abc; boundary=def", std::nullopt},
    {"multipart/form-data boundary=abc", std::nullopt},
    {"multipart/form-data; boundary=abc def", std::nullopt},
    {"multipart/mixed; boundary=abc", std::nullopt},
    {"multipart/form-data-x; boundary=abc", std::nullopt},
    {"text/plain; boundary=abc", std::nullopt},
    {"application/x-www-form-urlencoded", std::nullopt},
    {"multipart / form-data; boundary=abc", std::nullopt},
    {"", std::nullopt},
};

}  // namespace

BOOST_AUTO_TEST_SUITE(multipart)

BOOST_AUTO_TEST_CASE(parse_cases) {
  for (const ParseCase& c : kParseCases) {
    BOOST_TEST_CONTEXT("case: " << c.name) {
      std::vector<mp::Part> parts;
      std::string error;
      try {
        parts = mp::parse(c.body, c.boundary, c.limits);
      } catch (const mp::ParseError& e) { error = e.what(); }
      BOOST_TEST(error == c.error);
      if (!c.error.empty()) continue;
      BOOST_TEST_REQUIRE(parts.size() == c.parts.size());
      const char* const begin = c.body.data();
      const char* const end = begin + c.body.size();
      for (std::size_t i = 0; i < parts.size(); ++i) {
        BOOST_TEST_CONTEXT("part " << i) {
          BOOST_TEST(parts[i].name == c.parts[i].name);
          BOOST_TEST(parts[i].filename.has_value() == c.parts[i].filename.has_value());
          if (parts[i].filename && c.parts[i].filename) { BOOST_TEST(*parts[i].filename == *c.parts[i].filename); }
          BOOST_TEST(parts[i].content_type == c.parts[i].content_type);
          BOOST_TEST(parts[i].body == c.parts[i].body);
          // The body is a view into the caller's buffer, not a copy (an empty one has no
          // place to point to).
          if (!parts[i].body.empty())
            BOOST_TEST((parts[i].body.data() >= begin && parts[i].body.data() + parts[i].body.size() <= end));
        }
      }
    }
  }
}

// A part as the streaming parser hands it on: headers, then its bytes in pieces.
struct Streamed {
  mp::Part headers;
  std::string body;
  bool ended = false;
};

class Recorder final : public mp::PartSink {
 public:
  std::vector<Streamed> parts;
  std::size_t pieces = 0;
  void part_begin(const mp::Part& h) override {
    BOOST_TEST((parts.empty() || parts.back().ended), "the previous part ended first");
    BOOST_TEST(h.body.empty());
    parts.push_back({h, "", false});
  }
  void part_data(std::string_view bytes) override {
    BOOST_TEST(!bytes.empty(), "no empty piece");
    BOOST_TEST_REQUIRE(!parts.empty());
    BOOST_TEST(!parts.back().ended);
    parts.back().body.append(bytes);
    ++pieces;
  }
  void part_end() override {
    BOOST_TEST_REQUIRE(!parts.empty());
    parts.back().ended = true;
  }
};

// Every case of the table again, the body pushed in pieces of 1, 2, 3, 7, 64 bytes and
// in one piece: the same parts, bytes and errors whatever the cut.
BOOST_AUTO_TEST_CASE(parse_cases_in_every_chunking) {
  for (const std::size_t chunk :
       {std::size_t{1}, std::size_t{2}, std::size_t{3}, std::size_t{7}, std::size_t{64}, std::string::npos}) {
    for (const ParseCase& c : kParseCases) {
      BOOST_TEST_CONTEXT("case: " << c.name << ", pieces of " << chunk) {
        Recorder rec;
        std::string error;
        try {
          mp::Parser parser(c.boundary, rec, c.limits);
          for (std::size_t at = 0; at < c.body.size(); at += std::min(chunk, c.body.size()))
            parser.feed(std::string_view(c.body).substr(at, chunk));
          parser.finish();
          BOOST_TEST(parser.closed());
        } catch (const mp::ParseError& e) { error = e.what(); }
        BOOST_TEST(error == c.error);
        if (!c.error.empty()) continue;
        BOOST_TEST_REQUIRE(rec.parts.size() == c.parts.size());
        for (std::size_t i = 0; i < rec.parts.size(); ++i) {
          BOOST_TEST_CONTEXT("part " << i) {
            BOOST_TEST(rec.parts[i].ended);
            BOOST_TEST(rec.parts[i].headers.name == c.parts[i].name);
            BOOST_TEST((rec.parts[i].headers.filename == c.parts[i].filename));
            BOOST_TEST(rec.parts[i].headers.content_type == c.parts[i].content_type);
            BOOST_TEST(rec.parts[i].body == c.parts[i].body);
          }
        }
      }
    }
  }
}

// A big file part streamed in 64 KiB pieces comes out in pieces (never whole), byte for
// byte, and the parser holds no more than a delimiter line back.
BOOST_AUTO_TEST_CASE(big_part_is_handed_on_in_pieces) {
  std::string file(5u << 20, '\0');
  std::uint32_t x = 0x2545F491;
  for (auto& c : file) {
    x ^= x << 13, x ^= x >> 17, x ^= x << 5;
    c = static_cast<char>(x % 7 == 0 ? '\r' : x % 5 == 0 ? '\n' : x % 3 == 0 ? '-' : static_cast<char>(x));
  }
  const std::string body = "--bound\r\n" + kCd + "name=\"file\"; filename=\"a.bin\"\r\n\r\n" + file +
                           "\r\n--bound\r\n" + kCd + "name=\"description\"\r\n\r\nhi\r\n--bound--\r\n";
  Recorder rec;
  mp::Parser parser("bound", rec);
  for (std::size_t at = 0; at < body.size(); at += 65536) parser.feed(std::string_view(body).substr(at, 65536));
  parser.finish();
  BOOST_TEST_REQUIRE(rec.parts.size() == 2u);
  BOOST_TEST((rec.parts[0].body == file));
  BOOST_TEST(rec.parts[1].body == "hi");
  BOOST_TEST(rec.pieces >= 80u);
}

BOOST_AUTO_TEST_CASE(padding_after_a_boundary_is_bounded) {
  const std::string ok =
      "--bound" + std::string(mp::kMaxBoundaryPadding, ' ') + "\r\n" + kCd + "name=a\r\n\r\nv\r\n--bound--";
  BOOST_TEST(mp::parse(ok, "bound").size() == 1u);
  const std::string too_long =
      "--bound" + std::string(mp::kMaxBoundaryPadding + 1, '\t') + "\r\n" + kCd + "name=a\r\n\r\nv\r\n--bound--";
  BOOST_CHECK_EXCEPTION(mp::parse(too_long, "bound"), mp::ParseError,
                        [](const mp::ParseError& e) { return std::string(e.what()) == "boundary line too long"; });
}

BOOST_AUTO_TEST_CASE(boundary_from_content_type_cases) {
  for (const BoundaryCase& c : kBoundaryCases) {
    BOOST_TEST_CONTEXT("content type: '" << c.content_type << "'") {
      const std::optional<std::string> got = mp::boundary_from_content_type(c.content_type);
      BOOST_TEST(got.has_value() == c.boundary.has_value());
      if (got && c.boundary) BOOST_TEST(*got == *c.boundary);
    }
  }
}

BOOST_AUTO_TEST_SUITE_END()
