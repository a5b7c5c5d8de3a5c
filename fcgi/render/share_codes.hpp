// Copy-ready codes for sharing an image (direct link, HTML, Markdown, BBCode), each
// escaped for its own language, so no description or file name can break out of one:
// a `]` or `)` in Markdown, a `"` or `<` in HTML, a `[` in BBCode.  Pure, thread-safe.
// The result is plain text; a page still HTML-escapes it where it shows it.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace imghost::share_codes {

// What the codes of one image are made of.  URLs are relative ("/images/<name>") or
// absolute (with the configured public base URL); they are percent-encoded here where a
// language needs it.  `alt` is free text (a description or file name).
struct ImageLinks {
  std::string page;   // /i/{id}
  std::string image;  // the full image
  std::string thumb;  // its thumbnail
  std::string alt;
  int width = 0, height = 0;              // the full image
  int thumb_width = 0, thumb_height = 0;  // the thumbnail
  bool video = false;                     // `image` is a video, `thumb` its poster
};

struct Code {
  std::string key;    // "markdown-thumb": stable, used in element ids and by the tests
  std::string label;  // "Markdown, thumbnail linking to the image"
  std::string value;
};

// Every code, in the order a page shows them: direct links, HTML, Markdown, BBCode;
// each for the full image, then for the thumbnail linking to the full image.  For a
// video, the full forms are what plays or links it where it is pasted: HTML a <video>
// with its poster and controls, Markdown and BBCode a link (their image tags would show
// nothing); the thumbnail forms are its poster linking to it.
std::vector<Code> all_codes(const ImageLinks& l);
// The few a result page shows per image: page link, direct link, and the thumbnail
// forms of HTML, Markdown and BBCode.
std::vector<Code> short_codes(const ImageLinks& l);

// Free text on one line: every run of whitespace (also line breaks) becomes one space,
// leading and trailing whitespace goes.
std::string one_line(std::string_view text);
// Markdown (CommonMark, GFM): text with a backslash before every character that could
// open or close markup (\ ` * _ [ ] ( ) < > ! & | ~ #).
std::string markdown_text(std::string_view text);
// A URL fit for a Markdown link destination or a BBCode tag: space, quotes, brackets,
// parentheses, angle brackets, backslash and control characters percent-encoded.
std::string safe_url(std::string_view url);

}  // namespace imghost::share_codes
