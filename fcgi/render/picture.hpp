// An image shown on a page through its variants (API.md, "Variants"): a <picture> with an
// AVIF and a WebP <source> and an <img> fallback (JPEG variants; PNG for a PNG or GIF,
// which may be transparent), each with a srcset of the presets' sizes and the page's
// `sizes`, so a browser fetches the smallest variant that fills the space at its pixel
// density: a phone never downloads a 12-megapixel original to show 390 pixels.  Width and
// height are the shown box's (the page does not jump as it loads); `lazy` for images
// below the fold.  Links around it stay the original's.  Pure.
#pragma once

#include <string>

#include "domain/image_record.hpp"
#include "domain/variant_presets.hpp"

namespace imghost::pages {

struct PictureOptions {
  std::string base;   // public_base_url or "" (relative URLs)
  std::string sizes;  // the `sizes` attribute: how wide the image is shown
  std::string alt;
  int width = 0;  // the <img>'s width and height attributes
  int height = 0;
  bool lazy = false;
  // When set, the <img> shows this URL alone (no srcset) instead of the JPEG/PNG
  // variants: a tile's thumbnail, which exists from the upload on, so a browser without
  // AVIF and WebP costs the site no variant to make.
  std::string fallback_src;
};

// "/v/<preset>/<stem>.<ext>" (with `base` in front).
std::string variant_url(const std::string& base, const std::string& preset, const std::string& name,
                        VariantFormat format);

// The <picture> of `image`.  Presets larger than the image add nothing (variants are
// never enlarged): only the first of them is listed, at the image's own width.
std::string picture_html(const VariantPresets& presets, const ImageRecord& image, const PictureOptions& options);

// A tile of a grid (catalog, album): the smallest preset only, in AVIF and WebP, over the
// thumbnail (`thumb_src`, the fallback), at the thumbnail's size (`options.width/height`).
// An AVIF or WebP of the thumbnail's size is a fraction of the thumbnail's JPEG or PNG.
// A GIF keeps its plain thumbnail: its variants stay animated, which would make the
// grid heavier, not lighter.
std::string tile_picture_html(const VariantPresets& presets, const ImageRecord& image, const std::string& thumb_src,
                              PictureOptions options);

// A tile's thumbnail (`img`, HTML) as catalogs and albums show it: a video's is its poster
// with a play mark over it, the mark an image labelled "Video" for assistive technology
// (the poster alone would pass for a photo); an image's is `img` unchanged.
std::string tile_thumbnail(const ImageRecord& item, std::string img);

}  // namespace imghost::pages
