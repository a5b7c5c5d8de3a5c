// HTML building blocks.  Every piece of text that did not come from this source file
// goes through escape(): one place decides what is safe in HTML.
#pragma once

#include <string>
#include <string_view>

namespace imghost::pages {

// Escapes & < > " ' for text and attribute values alike.
std::string escape(std::string_view s);

// The hidden form field that carries a session's CSRF token ("" when `token` is "":
// an anonymous page needs none).
std::string csrf_field(std::string_view token);

// The whole document around `body` (already HTML), with the shared style sheet inline
// so a page is one request and works without JavaScript.
std::string layout(std::string_view title, std::string_view body);

}  // namespace imghost::pages
