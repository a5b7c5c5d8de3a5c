#include "render/link_preview.hpp"

#include <fmt/format.h>

#include <limits>
#include <tuple>

#include "base/text.hpp"
#include "domain/image_format.hpp"
#include "domain/thumbnail_geometry.hpp"
#include "render/json.hpp"
#include "render/pages.hpp"
#include "render/picture.hpp"
#include "render/share_codes.hpp"

namespace imghost {
namespace {

constexpr std::string_view kSiteName = "imghost";

std::string content_type_of(const ImageRecord& r) {
  const auto f = image::parse_format(r.format);
  return f ? std::string(image::content_type(*f)) : "application/octet-stream";
}

std::string page_of_image(const std::string& base, const ImageRecord& r) { return base + "/i/" + r.id; }

std::string description_of(const std::optional<std::string>& d) {
  return d ? share_codes::one_line(*d) : std::string();
}

std::pair<std::uint32_t, std::uint32_t> thumb_of(const Config& c, const ImageRecord& r) {
  return fit_within(static_cast<std::uint32_t>(r.width), static_cast<std::uint32_t>(r.height), c.image.thumb_size);
}

std::pair<std::uint32_t, std::uint32_t> fitted(std::pair<std::uint32_t, std::uint32_t> size, views::EmbedBox box) {
  constexpr auto kNone = std::numeric_limits<std::uint32_t>::max();
  return fit_box(size.first, size.second, box.max_width.value_or(kNone), box.max_height.value_or(kNone));
}

bool fits(std::pair<std::uint32_t, std::uint32_t> size, views::EmbedBox box) {
  return size.first <= box.max_width.value_or(size.first) && size.second <= box.max_height.value_or(size.second);
}

// <meta property="og:…"> and <meta name="twitter:…">: both escape their content.
std::string og(std::string_view property, std::string_view content) {
  return fmt::format("<meta property=\"og:{}\" content=\"{}\">", property, pages::escape(content));
}
std::string twitter(std::string_view name, std::string_view content) {
  return fmt::format("<meta name=\"twitter:{}\" content=\"{}\">", name, pages::escape(content));
}

// The tags every preview has: what it is, where, and how to find its oEmbed.
std::string common_tags(const std::string& base, const std::string& page, const std::string& title,
                        const std::string& description) {
  std::string out = og("site_name", kSiteName) + og("type", "website") + og("title", title) + og("url", page) +
                    twitter("title", title);
  if (!description.empty()) out += og("description", description) + twitter("description", description);
  out += fmt::format("<link rel=\"alternate\" type=\"application/json+oembed\" href=\"{}\" title=\"{}\">",
                     pages::escape(base + "/api/oembed?url=" + text::url_encode(page) + "&format=json"),
                     pages::escape(title));
  return out;
}

// The picture: the original file (the only size there is; the page's own image).
std::string image_tags(const std::string& base, const ImageRecord& r, const std::string& alt) {
  const auto url = views::image_url(base, r.name);
  return og("image", url) + og("image:type", content_type_of(r)) + og("image:width", std::to_string(r.width)) +
         og("image:height", std::to_string(r.height)) + og("image:alt", alt) + twitter("card", "summary_large_image") +
         twitter("image", url) + twitter("image:alt", alt);
}

}  // namespace

namespace pages {

std::string image_preview_tags(const Site& site, const ImageRecord& r) {
  const auto& base = site.config.public_base_url;
  if (base.empty()) return {};
  const auto title = image_title(r);
  return common_tags(base, page_of_image(base, r), title, description_of(r.description)) + image_tags(base, r, title);
}

std::string album_preview_tags(const Site& site, const AlbumRecord& a, const std::optional<ImageRecord>& picture) {
  const auto& base = site.config.public_base_url;
  if (base.empty()) return {};
  const auto title = album_title(a);
  auto out = common_tags(base, views::album_url(base, a.id), title, description_of(a.description));
  out += picture ? image_tags(base, *picture, image_title(*picture)) : twitter("card", "summary");
  return out;
}

}  // namespace pages

namespace views {
namespace {

nlohmann::json oembed_common(const Config& c, const std::string& title) {
  return {
      {"version", "1.0"}, {"title", title}, {"provider_name", kSiteName}, {"provider_url", c.public_base_url + "/"}};
}

void put_thumbnail(nlohmann::json& j, const Config& c, const ImageRecord& r, EmbedBox box) {
  const auto thumb = thumb_of(c, r);
  // oEmbed: the thumbnail must respect maxwidth and maxheight; there is one size of it.
  if (!fits(thumb, box)) return;
  j["thumbnail_url"] = thumb_url(c.public_base_url, r.name);
  j["thumbnail_width"] = thumb.first;
  j["thumbnail_height"] = thumb.second;
}

}  // namespace

nlohmann::json oembed_photo(const Config& c, const ImageRecord& r, EmbedBox box) {
  auto j = oembed_common(c, pages::image_title(r));
  const std::pair<std::uint32_t, std::uint32_t> original{static_cast<std::uint32_t>(r.width),
                                                         static_cast<std::uint32_t>(r.height)};
  auto [w, h] = fitted(original, box);
  j["type"] = "photo";
  j["url"] = image_url(c.public_base_url, r.name);
  // An original larger than maxwidth/maxheight: the largest variant that fits the box
  // instead, so that the consumer fetches no more than it shows (API.md, "Variants").
  if (!fits(original, box)) {
    for (const auto& p : c.variant_presets) {
      const auto v = fit_within(original.first, original.second, p.box);
      if (!fits(v, box)) break;  // presets are sorted by size: the larger ones fit less
      const bool may_be_transparent = r.format == "png" || r.format == "gif";
      j["url"] = pages::variant_url(c.public_base_url, p.name, r.name,
                                    may_be_transparent ? VariantFormat::png : VariantFormat::jpeg);
      std::tie(w, h) = v;
    }
  }
  j["width"] = w;
  j["height"] = h;
  put_thumbnail(j, c, r, box);
  return j;
}

nlohmann::json oembed_album(const Config& c, const AlbumRecord& a, const std::optional<ImageRecord>& picture,
                            EmbedBox box) {
  const auto title = pages::album_title(a);
  auto j = oembed_common(c, title);
  const auto page = album_url(c.public_base_url, a.id);
  j["type"] = "rich";
  if (picture) {
    const auto [w, h] = fitted(thumb_of(c, *picture), box);
    j["html"] =
        fmt::format("<a href=\"{}\"><img src=\"{}\" width=\"{}\" height=\"{}\" alt=\"{}\"></a>", pages::escape(page),
                    pages::escape(thumb_url(c.public_base_url, picture->name)), w, h, pages::escape(title));
    j["width"] = w;
    j["height"] = h;
    put_thumbnail(j, c, *picture, box);
  } else {
    // Only the title as a link: a line of text in the box of a thumbnail.
    constexpr std::uint32_t kLineHeight = 24;
    j["html"] = fmt::format("<a href=\"{}\">{}</a>", pages::escape(page), pages::escape(title));
    j["width"] = std::min(c.image.thumb_size, box.max_width.value_or(c.image.thumb_size));
    j["height"] = std::min(kLineHeight, box.max_height.value_or(kLineHeight));
  }
  return j;
}

}  // namespace views
}  // namespace imghost
