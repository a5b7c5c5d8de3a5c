#include "image/sniff.hpp"

namespace imghost::image {

std::optional<Format> sniff(std::string_view b) {
  using namespace std::string_view_literals;
  if (b.starts_with("\xFF\xD8\xFF"sv)) return Format::jpeg;
  if (b.starts_with("\x89PNG\r\n\x1A\n"sv)) return Format::png;
  if (b.starts_with("GIF87a"sv) || b.starts_with("GIF89a"sv)) return Format::gif;
  if (b.size() >= 12 && b.starts_with("RIFF"sv) && b.substr(8, 4) == "WEBP"sv) return Format::webp;
  return std::nullopt;
}

}  // namespace imghost::image
