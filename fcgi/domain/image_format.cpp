#include "domain/image_format.hpp"

#include "domain/translate.hpp"

#include "base/text.hpp"

#include <array>

namespace imghost::image {

namespace {

struct FormatInfo {
  Format format;
  std::string_view name, extension, content_type, coder, display;
};

// In enum order: describe() lists formats in this order.
constexpr std::array<FormatInfo, 6> kFormats{{
    {Format::jpeg, "jpeg", "jpg", "image/jpeg", "JPEG", "JPEG"},
    {Format::png, "png", "png", "image/png", "PNG", "PNG"},
    {Format::gif, "gif", "gif", "image/gif", "GIF", "GIF"},
    {Format::webp, "webp", "webp", "image/webp", "WEBP", "WebP"},
    {Format::mp4, "mp4", "mp4", "video/mp4", "", "MP4"},
    {Format::webm, "webm", "webm", "video/webm", "", "WebM"},
}};

const FormatInfo& info(Format f) { return kFormats[static_cast<std::size_t>(f)]; }

}  // namespace

bool is_video(Format f) { return f == Format::mp4 || f == Format::webm; }

std::string_view name(Format f) { return info(f).name; }
std::string_view extension(Format f) { return info(f).extension; }
std::string_view content_type(Format f) { return info(f).content_type; }
std::string_view magick_coder(Format f) { return info(f).coder; }
std::string_view display_name(Format f) { return info(f).display; }

std::optional<Format> parse_format(std::string_view s) {
  for (const auto& fi : kFormats)
    if (text::ascii_iequals(s, fi.name) || text::ascii_iequals(s, fi.extension)) return fi.format;
  return std::nullopt;
}

std::string describe(const std::set<Format>& formats) {
  std::string out;
  std::size_t i = 0;
  for (Format f : formats) {  // std::set iterates in enum order
    // TRANSLATORS: between the last two items of a list ("JPEG, PNG or WebP").
    if (i > 0) out += (i + 1 == formats.size()) ? i18n::tr(" or ") : std::string(", ");
    out += display_name(f);
    ++i;
  }
  return out;
}

}  // namespace imghost::image
