#include "render/share_codes.hpp"

#include <fmt/format.h>

#include "domain/translate.hpp"

#include "render/html.hpp"

namespace imghost::share_codes {
namespace {

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

std::string img_tag(const std::string& src, const std::string& alt, int w, int h) {
  // pages::escape makes the value safe in a double-quoted attribute.
  std::string tag = fmt::format("<img src=\"{}\" alt=\"{}\"", pages::escape(src), pages::escape(alt));
  if (w > 0 && h > 0) tag += fmt::format(" width=\"{}\" height=\"{}\"", w, h);
  return tag + ">";
}

std::string video_tag(const std::string& src, const std::string& poster, int w, int h) {
  std::string tag = fmt::format("<video controls preload=\"metadata\" src=\"{}\" poster=\"{}\"", pages::escape(src),
                                pages::escape(poster));
  if (w > 0 && h > 0) tag += fmt::format(" width=\"{}\" height=\"{}\"", w, h);
  return tag + "></video>";
}

}  // namespace

std::string one_line(std::string_view text) {
  std::string out;
  bool pending_space = false;
  for (const char c : text) {
    if (is_space(c)) {
      pending_space = !out.empty();
      continue;
    }
    if (pending_space) out.push_back(' ');
    pending_space = false;
    out.push_back(c);
  }
  return out;
}

std::string markdown_text(std::string_view text) {
  static constexpr std::string_view kSpecial = "\\`*_[]()<>!&|~#";
  std::string out;
  out.reserve(text.size() + 8);
  for (const char c : text) {
    if (kSpecial.find(c) != std::string_view::npos) out.push_back('\\');
    out.push_back(c);
  }
  return out;
}

std::string safe_url(std::string_view url) {
  static constexpr std::string_view kEncoded = " \"'<>()[]\\`{}|^";
  std::string out;
  out.reserve(url.size());
  for (const char ch : url) {
    const auto c = static_cast<unsigned char>(ch);
    if (c < 0x20 || c == 0x7F || kEncoded.find(ch) != std::string_view::npos)
      out += fmt::format("%{:02X}", c);
    else
      out.push_back(ch);
  }
  return out;
}

std::vector<Code> all_codes(const ImageLinks& l) {
  const auto alt = one_line(l.alt);
  const auto md_alt = markdown_text(alt);
  const auto image = safe_url(l.image), thumb = safe_url(l.thumb);
  return {
      {"direct", i18n::tr("Direct link"), l.image},
      {"direct-thumb", i18n::tr("Direct link to the thumbnail"), l.thumb},
      {"html", "HTML",
       l.video ? video_tag(l.image, l.thumb, l.width, l.height) : img_tag(l.image, alt, l.width, l.height)},
      {"html-thumb", i18n::tr("HTML, thumbnail linking to the image"),
       fmt::format("<a href=\"{}\">{}</a>", pages::escape(l.image),
                   img_tag(l.thumb, alt, l.thumb_width, l.thumb_height))},
      {"markdown", "Markdown",
       l.video ? fmt::format("[{}]({})", md_alt, image) : fmt::format("![{}]({})", md_alt, image)},
      {"markdown-thumb", i18n::tr("Markdown, thumbnail linking to the image"),
       fmt::format("[![{}]({})]({})", md_alt, thumb, image)},
      {"bbcode", "BBCode", l.video ? fmt::format("[url]{}[/url]", image) : fmt::format("[img]{}[/img]", image)},
      {"bbcode-thumb", i18n::tr("BBCode, thumbnail linking to the image"),
       fmt::format("[url={}][img]{}[/img][/url]", image, thumb)},
  };
}

std::vector<Code> short_codes(const ImageLinks& l) {
  auto all = all_codes(l);
  std::vector<Code> out{{"page", i18n::tr("Page link"), l.page}};
  for (auto& c : all)
    if (c.key == "direct" || c.key == "html-thumb" || c.key == "markdown-thumb" || c.key == "bbcode-thumb")
      out.push_back(std::move(c));
  return out;
}

}  // namespace imghost::share_codes
