#include "domain/free_text.hpp"

#include <fmt/format.h>

#include "base/text.hpp"
#include "domain/error.hpp"

namespace imghost {

std::optional<std::string> checked_free_text(std::string_view text, std::string_view field, std::size_t max_chars) {
  if (!text::is_valid_utf8(text)) throw errors::bad_request(i18n::msg("{} is not valid UTF-8", field));
  if (const auto c = text::first_forbidden_control(text))
    throw errors::bad_request(
        i18n::msg("{} holds a control character ({})", field, fmt::format("U+{:04X}", static_cast<unsigned>(*c))));
  if (text::utf8_length(text) > max_chars)
    throw errors::bad_request(i18n::msg("{} is longer than {} characters", field, max_chars));
  if (text.find_first_not_of(" \t\r\n") == std::string_view::npos) return std::nullopt;
  return std::string(text);
}

}  // namespace imghost
