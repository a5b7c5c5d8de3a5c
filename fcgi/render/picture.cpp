#include "render/picture.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "domain/thumbnail_geometry.hpp"
#include "domain/translate.hpp"
#include "render/html.hpp"

namespace imghost::pages {

namespace {

std::string_view stem(const std::string& name) { return std::string_view(name).substr(0, name.rfind('.')); }

std::string srcset(const VariantPresets& presets, const ImageRecord& image, const std::string& base,
                   VariantFormat format) {
  std::string out;
  for (const auto& p : presets) {
    const auto [w, h] =
        fit_within(static_cast<std::uint32_t>(image.width), static_cast<std::uint32_t>(image.height), p.box);
    if (!out.empty()) out += ", ";
    out += fmt::format("{} {}w", variant_url(base, p.name, image.name, format), w);
    // Every larger preset is the image at its own size again.
    if (p.box >= static_cast<std::uint32_t>(std::max(image.width, image.height))) break;
  }
  return out;
}

}  // namespace

std::string variant_url(const std::string& base, const std::string& preset, const std::string& name,
                        VariantFormat format) {
  return fmt::format("{}/v/{}/{}.{}", base, preset, stem(name), variant_extension(format));
}

std::string picture_html(const VariantPresets& presets, const ImageRecord& image, const PictureOptions& o) {
  const bool may_be_transparent = image.format == "png" || image.format == "gif";
  const VariantFormat fallback = may_be_transparent ? VariantFormat::png : VariantFormat::jpeg;
  // The fallback's src, for browsers without srcset: the middle preset, or a smaller one
  // that already holds the whole image (the srcset lists no larger one).
  const VariantPreset* src_preset = &presets.front();
  for (std::size_t i = 0; i <= presets.size() / 2; ++i) {
    src_preset = &presets[i];
    if (presets[i].box >= static_cast<std::uint32_t>(std::max(image.width, image.height))) break;
  }
  std::string out = "<picture>";
  for (const auto f : {VariantFormat::avif, VariantFormat::webp})
    out += fmt::format("<source type=\"{}\" srcset=\"{}\" sizes=\"{}\">", variant_content_type(f),
                       escape(srcset(presets, image, o.base, f)), escape(o.sizes));
  const std::string img_src = o.fallback_src.empty()
                                  ? fmt::format("src=\"{}\" srcset=\"{}\" sizes=\"{}\"",
                                                escape(variant_url(o.base, src_preset->name, image.name, fallback)),
                                                escape(srcset(presets, image, o.base, fallback)), escape(o.sizes))
                                  : fmt::format("src=\"{}\"", escape(o.fallback_src));
  out += fmt::format("<img {} width=\"{}\" height=\"{}\" alt=\"{}\"{}></picture>", img_src, o.width, o.height,
                     escape(o.alt), o.lazy ? " loading=\"lazy\" decoding=\"async\"" : "");
  return out;
}

std::string tile_picture_html(const VariantPresets& presets, const ImageRecord& image, const std::string& thumb_src,
                              PictureOptions o) {
  if (presets.empty() || image.format == "gif") {
    return fmt::format("<img src=\"{}\" width=\"{}\" height=\"{}\" alt=\"{}\"{}>", escape(thumb_src), o.width, o.height,
                       escape(o.alt), o.lazy ? " loading=\"lazy\" decoding=\"async\"" : "");
  }
  o.fallback_src = thumb_src;
  return picture_html({presets.front()}, image, o);
}

std::string tile_thumbnail(const ImageRecord& item, std::string img) {
  if (item.kind != "video") return img;
  return fmt::format("<span class=\"poster\">{}<span class=\"play-mark\" role=\"img\" aria-label=\"{}\"></span></span>",
                     img, escape(i18n::tr("Video")));
}

}  // namespace imghost::pages
