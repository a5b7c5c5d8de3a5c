#include "image/sniff.hpp"

#include <array>

namespace imghost::image {
namespace {

// Major brands of still images in ISO BMFF (HEIF, AVIF): not videos, whatever boxes
// follow.  Any other brand is left to the prober, which knows what it can demux.
constexpr std::array<std::string_view, 8> kStillBrands{"heic", "heix", "heim", "heis", "mif1", "msf1", "avif", "avis"};

bool is_iso_bmff_video(std::string_view b) {
  using namespace std::string_view_literals;
  // size (4 bytes, big-endian, at least 16: the box header, a brand and a version), "ftyp"
  if (b.size() < 12 || b.substr(4, 4) != "ftyp"sv) return false;
  const auto size = (std::uint32_t(static_cast<unsigned char>(b[0])) << 24) |
                    (std::uint32_t(static_cast<unsigned char>(b[1])) << 16) |
                    (std::uint32_t(static_cast<unsigned char>(b[2])) << 8) |
                    std::uint32_t(static_cast<unsigned char>(b[3]));
  if (size < 16) return false;
  const auto brand = b.substr(8, 4);
  for (const auto still : kStillBrands)
    if (brand == still) return false;
  return true;
}

}  // namespace

std::optional<Format> sniff(std::string_view b) {
  using namespace std::string_view_literals;
  if (b.starts_with("\xFF\xD8\xFF"sv)) return Format::jpeg;
  if (b.starts_with("\x89PNG\r\n\x1A\n"sv)) return Format::png;
  if (b.starts_with("GIF87a"sv) || b.starts_with("GIF89a"sv)) return Format::gif;
  if (b.size() >= 12 && b.starts_with("RIFF"sv) && b.substr(8, 4) == "WEBP"sv) return Format::webp;
  if (is_iso_bmff_video(b)) return Format::mp4;
  if (b.starts_with("\x1A\x45\xDF\xA3"sv)) return Format::webm;
  return std::nullopt;
}

}  // namespace imghost::image
