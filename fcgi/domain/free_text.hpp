// The rule for text people write into imghost (an image's description, an album's title
// and description), whatever brought it (a form field, an upload's part, a JSON
// member): valid UTF-8, no control character but tab and newlines, at most a number of
// characters; all blank is no text at all.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace imghost {

inline constexpr std::size_t kMaxDescriptionChars = 1000;
inline constexpr std::size_t kMaxTitleChars = 200;

// The text as given, or nullopt when it is all blank.  Throws Error bad_request naming
// `field` ("description", "album_title", ...) when the text breaks the rule.
std::optional<std::string> checked_free_text(std::string_view text, std::string_view field, std::size_t max_chars);

}  // namespace imghost
