// Reading the Cookie request header (RFC 6265, section 5.4: "name=value; name=value").
// Pure, thread-safe.
#pragma once

#include <optional>
#include <string_view>

namespace imghost::http {

// The value of the first cookie called `name` in a Cookie header, without surrounding
// double quotes; nullopt when there is none.
std::optional<std::string_view> cookie_value(std::string_view header, std::string_view name);

}  // namespace imghost::http
