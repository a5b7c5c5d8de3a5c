// The metadata stripper, one container format per file (internal to fcgi/image/; the
// contract is strip_metadata() in image/strip_metadata.hpp).
//
// Every reader below walks a container with explicit bounds checks against the end of
// the buffer (lengths are compared as `remaining < needed`, never as `pos + needed`, so
// nothing can overflow) and gives up by returning nullopt as soon as a length, a marker
// or a header does not fit; strip_metadata() then returns the input unchanged (except
// in a JPEG whose first scan has begun: see strip_jpeg).  Nothing is ever decoded, so the
// compressed image data reaches the output byte for byte.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace imghost::image::strip {

std::optional<std::string> strip_jpeg(std::string_view in);
std::optional<std::string> strip_png(std::string_view in);
std::optional<std::string> strip_webp(std::string_view in);
std::optional<std::string> strip_gif(std::string_view in);

}  // namespace imghost::image::strip
