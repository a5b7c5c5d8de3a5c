// Hexadecimal text: the one encoder and decoder imghost has.  Pure, thread-safe.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace imghost::hex {

// Lowercase hex of `n` bytes: "0a1b...".
std::string encode(const unsigned char* p, std::size_t n);
inline std::string encode(std::string_view bytes) {
  return encode(reinterpret_cast<const unsigned char*>(bytes.data()), bytes.size());
}

// 0..15 for '0'..'9', 'a'..'f', 'A'..'F'; -1 for anything else.
int digit(char c);

// The bytes of an even-length hex string (either case); nullopt when it is not one.
std::optional<std::string> decode(std::string_view text);

}  // namespace imghost::hex
