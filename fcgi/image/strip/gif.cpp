#include "image/strip/strip_formats.hpp"

#include "base/binary.hpp"
#include "image/gif_blocks.hpp"
#include "image/strip/exif.hpp"

namespace imghost::image::strip {
namespace {

using Byte = unsigned char;
using binary::at;

// GIF89a: header "GIF87a"/"GIF89a", logical screen descriptor (7 bytes; its packed byte
// announces a global colour table of 3 * 2^(n+1) bytes), then blocks until the trailer
// 0x3B: image (0x2C, 9-byte descriptor, optional local colour table, LZW minimum code
// size, data sub-blocks) or extension (0x21, label, data sub-blocks).  Sub-blocks are a
// size byte and that many bytes, ended by a size of 0.  The XMP application extension
// stores raw XMP with a "magic trailer" built so that this same walk lands on its end.

using gif::skip_sub_blocks;

// `blocks`: the extension's sub-blocks, right after its label.
bool keep_gif_extension(Byte label, std::string_view blocks) {
  if (label == 0xFE) return false;  // Comment Extension
  if (label != 0xFF) return true;   // Graphic Control, Plain Text (drawn text), others
  if (blocks.size() < 12 || at(blocks, 0) != 11) return false;
  const std::string_view app = blocks.substr(1, 11);      // identifier and authentication code
  return app == "NETSCAPE2.0" || app == "ANIMEXTS1.0" ||  // loop count
         app == "ICCRGBG1012";                            // ICC profile (colour)
}

using gif::colour_table_size;

}  // namespace

std::optional<std::string> strip_gif(std::string_view in) {
  if (in.size() < 13 || (!in.starts_with("GIF87a") && !in.starts_with("GIF89a"))) return std::nullopt;
  const std::size_t table = colour_table_size(at(in, 10));
  if (in.size() - 13 < table) return std::nullopt;
  std::size_t pos = 13 + table;
  std::string out;
  out.reserve(in.size());
  out.append(in.substr(0, pos));
  while (pos < in.size()) {  // a file that ends after a whole block (no trailer) is fine
    const std::size_t start = pos;
    switch (at(in, pos)) {
      case 0x3B:  // trailer
        out.append(in.substr(pos));
        return out;
      case 0x2C: {  // image
        if (in.size() - pos < 10) return std::nullopt;
        const std::size_t local_table = colour_table_size(at(in, pos + 9));
        pos += 10;
        if (in.size() - pos < local_table + 1) return std::nullopt;
        pos += local_table + 1;  // and the LZW minimum code size
        if (!skip_sub_blocks(in, pos)) return std::nullopt;
        out.append(in.substr(start, pos - start));
        break;
      }
      case 0x21: {  // extension
        if (in.size() - pos < 2) return std::nullopt;
        const Byte label = at(in, pos + 1);
        pos += 2;
        const std::size_t blocks = pos;
        if (!skip_sub_blocks(in, pos)) return std::nullopt;
        if (keep_gif_extension(label, in.substr(blocks, pos - blocks))) out.append(in.substr(start, pos - start));
        break;
      }
      default: return std::nullopt;
    }
  }
  return out;
}

}  // namespace imghost::image::strip
