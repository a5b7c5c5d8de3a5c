// A variant of a stored image (API.md, "Variants"): fit in a preset's box, never
// enlarged, in one of the variant formats, with no metadata, sRGB, the EXIF orientation
// applied.  An animation stays animated in WebP; the other formats get its first frame.
//
// Same rules as every decode here (image/inspect.hpp): the stored bytes go through
// inspect() again (coder forced, limits, deadline), so a variant is never made from
// something an upload would refuse.  Single-threaded, like the workers.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "domain/image_limits.hpp"
#include "domain/variant_presets.hpp"
#include "image/inspect.hpp"

namespace imghost::image {

// Quality settings, chosen by measurement (README, "Variants").
inline constexpr int kVariantWebpQuality = 75;
inline constexpr int kVariantAvifQuality = 50;
inline constexpr int kVariantJpegQuality = 82;

// The variant of `stored` (a stored original: JPEG, PNG, GIF or WebP) fit in box x box,
// encoded as `format`.  Throws Rejection as inspect() does (out_of_resources: the server
// ran short, worth retrying; otherwise the file makes no variant), std::runtime_error
// when encoding fails.
std::string make_variant(std::string_view stored, const Limits& limits, std::uint32_t box, VariantFormat format);

}  // namespace imghost::image
