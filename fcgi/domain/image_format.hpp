// The formats imghost stores (still images and videos), and what each one is called where.
#pragma once

#include <optional>
#include <set>
#include <string>
#include <string_view>

namespace imghost::image {

// Videos (mp4, webm) are stored remuxed: image/video.hpp.  A MOV is stored as mp4.
enum class Format { jpeg, png, gif, webp, mp4, webm };

// Whether files of this format are videos (probed and remuxed by image/video.hpp, never
// read by ImageMagick).
bool is_video(Format f);

std::string_view name(Format f);          // "jpeg", "png", "gif", "webp" (the API's `format`)
std::string_view extension(Format f);     // "jpg", "png", "gif", "webp"
std::string_view content_type(Format f);  // "image/jpeg", ...
std::string_view magick_coder(Format f);  // "JPEG", "PNG", "GIF", "WEBP": forced on every read; "" for a video
std::string_view display_name(Format f);  // "JPEG", "PNG", "GIF", "WebP" (for messages)

// Parses a name ("jpeg" or "jpg", "png", "gif", "webp", "mp4", "webm", case-insensitive).
std::optional<Format> parse_format(std::string_view s);

// "JPEG, PNG, GIF or WebP" for error messages, in enum order.
std::string describe(const std::set<Format>& formats);

}  // namespace imghost::image
