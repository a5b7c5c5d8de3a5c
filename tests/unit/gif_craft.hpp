// Hand-made GIF pieces for the unit tests: a two-colour 8x4 screen, frames of literal LZW
// codes, extensions.  Built byte by byte, independently of the code under test, so that
// each test changes exactly one thing.
#pragma once

#include <string>
#include <vector>

namespace gif_craft {

using namespace std::string_literals;

inline std::string le16(unsigned v) { return {static_cast<char>(v & 0xFF), static_cast<char>(v >> 8)}; }

// LZW codes of `codes`, 3 bits each (minimum code size 2), packed from the low bit up.
inline std::string pack3(const std::vector<unsigned>& codes) {
  std::string out;
  unsigned acc = 0, bits = 0;
  for (unsigned c : codes) {
    acc |= c << bits;
    bits += 3;
    while (bits >= 8) {
      out.push_back(static_cast<char>(acc & 0xFF));
      acc >>= 8;
      bits -= 8;
    }
  }
  if (bits) out.push_back(static_cast<char>(acc));
  return out;
}

// Data sub-blocks of `data` (at most 255 bytes each), then the block terminator.
inline std::string blocks(const std::string& data) {
  std::string out;
  for (std::size_t at = 0; at < data.size(); at += 255) {
    const std::string part = data.substr(at, 255);
    out += static_cast<char>(part.size()) + part;
  }
  return out + '\0';
}

// The image data of a w x h frame of colour `index`: a clear code before every two
// literals keeps the codes 3 bits wide, whatever a decoder adds to its table.
inline std::string pixels(unsigned w, unsigned h, unsigned index = 1) {
  std::vector<unsigned> codes;
  for (unsigned i = 0; i < w * h; ++i) {
    if (i % 2 == 0) codes.push_back(4);  // clear
    codes.push_back(index);
  }
  codes.push_back(5);  // end of information
  return "\x02"s + blocks(pack3(codes));
}

inline std::string frame(unsigned w, unsigned h, const std::string& data) {
  return "\x2C"s + le16(0) + le16(0) + le16(w) + le16(h) + '\0' + data;
}

inline std::string frame(unsigned w, unsigned h) { return frame(w, h, pixels(w, h)); }

// A GIF89a of an 8x4 screen with a two-colour table, then `body`.
inline std::string gif(const std::string& body) {
  return "GIF89a"s + le16(8) + le16(4) + "\x80\x00\x00"s + "\x00\x00\x00\xFF\xFF\xFF"s + body;
}

// The same screen without a colour table (the flag off, the size bits 0: two colours).
inline std::string bare(const std::string& body) { return "GIF89a"s + le16(8) + le16(4) + "\x00\x00\x00"s + body; }

inline const std::string kDelay = "\x21\xF9\x04\x00\x0A\x00\x00\x00"s;  // graphic control: 0.1 s
inline const std::string kTrailer = "\x3B";

}  // namespace gif_craft
