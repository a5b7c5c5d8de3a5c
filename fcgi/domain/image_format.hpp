// The image formats imghost knows, and what each one is called where.
#pragma once

#include <optional>
#include <set>
#include <string>
#include <string_view>

namespace imghost::image {

enum class Format { jpeg, png, gif, webp };

std::string_view name(Format f);          // "jpeg", "png", "gif", "webp" (the API's `format`)
std::string_view extension(Format f);     // "jpg", "png", "gif", "webp"
std::string_view content_type(Format f);  // "image/jpeg", ...
std::string_view magick_coder(Format f);  // "JPEG", "PNG", "GIF", "WEBP": forced on every read
std::string_view display_name(Format f);  // "JPEG", "PNG", "GIF", "WebP" (for messages)

// Parses a name ("jpeg" or "jpg", "png", "gif", "webp", case-insensitive).
std::optional<Format> parse_format(std::string_view s);

// "JPEG, PNG, GIF or WebP" for error messages, in enum order.
std::string describe(const std::set<Format>& formats);

}  // namespace imghost::image
