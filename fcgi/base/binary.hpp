// Reading and writing fixed-size binary integers in byte strings, for the container formats
// (JPEG, PNG, WebP, GIF, EXIF).  Callers check bounds first: `at` and the readers index
// without checking.  Pure, thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace imghost::binary {

inline unsigned char at(std::string_view s, std::size_t i) { return static_cast<unsigned char>(s[i]); }

inline std::uint32_t be16(std::string_view s, std::size_t i) { return std::uint32_t{at(s, i)} << 8 | at(s, i + 1); }
inline std::uint32_t be32(std::string_view s, std::size_t i) { return be16(s, i) << 16 | be16(s, i + 2); }
inline std::uint32_t le16(std::string_view s, std::size_t i) {
  return std::uint32_t{at(s, i)} | std::uint32_t{at(s, i + 1)} << 8;
}
inline std::uint32_t le24(std::string_view s, std::size_t i) { return le16(s, i) | std::uint32_t{at(s, i + 2)} << 16; }
inline std::uint32_t le32(std::string_view s, std::size_t i) { return le16(s, i) | le16(s, i + 2) << 16; }

inline void put_be16(std::string& out, std::uint32_t v) {
  out += static_cast<char>(v >> 8 & 0xFF);
  out += static_cast<char>(v & 0xFF);
}
inline void put_be32(std::string& out, std::uint32_t v) {
  put_be16(out, v >> 16);
  put_be16(out, v & 0xFFFF);
}
inline void put_le32(std::string& out, std::uint32_t v) {
  for (int shift = 0; shift < 32; shift += 8) out += static_cast<char>(v >> shift & 0xFF);
}

}  // namespace imghost::binary
