// The two pieces of GIF's record structure that every walk over a GIF needs (the header
// reader, image/gif_header.cpp, and the metadata stripper, image/strip/gif.cpp): the size
// of a colour table from a descriptor's packed byte, and skipping data sub-blocks (a size
// byte and that many bytes, ended by a size of 0).  Pure, thread-safe.
#pragma once

#include <cstddef>
#include <string_view>

#include "base/binary.hpp"

namespace imghost::image::gif {

// 3 * 2^(n+1) bytes when the packed byte's top bit announces a table, else 0.
inline std::size_t colour_table_size(unsigned char packed) {
  return (packed & 0x80) != 0 ? std::size_t{3} << ((packed & 0x07) + 1) : 0;
}

// Advances `pos` past a sequence of data sub-blocks and its terminator; false when the
// bytes end first.
inline bool skip_sub_blocks(std::string_view in, std::size_t& pos) {
  for (;;) {
    if (pos >= in.size()) return false;
    const std::size_t size = binary::at(in, pos++);
    if (size == 0) return true;
    if (in.size() - pos < size) return false;
    pos += size;
  }
}

}  // namespace imghost::image::gif
