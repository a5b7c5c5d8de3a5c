#include "image/perceptual_hash.hpp"

#include <algorithm>
#include <array>
#include <bit>
#include <cmath>
#include <numbers>
#include <stdexcept>

#include "image/decoded.hpp"
#include "image/magick.hpp"

namespace imghost::image {
namespace {

constexpr int kSide = 32;  // the grey image the DCT runs on
constexpr int kLow = 8;    // the frequencies kept, per axis

// The frame as kSide x kSide grey levels (0..1), transparency flattened onto white so
// that a PNG with alpha and its JPEG conversion agree.
std::array<double, kSide * kSide> grey_levels(const Magick::Image& frame) {
  Magick::Image img = frame;
  if (img.matte()) {
    Magick::Image white(Magick::Geometry(img.columns(), img.rows()), Magick::Color("white"));
    white.composite(img, 0, 0, Magick::OverCompositeOp);
    img = white;
  }
  if (img.colorSpace() != Magick::sRGBColorspace && img.colorSpace() != Magick::RGBColorspace &&
      img.colorSpace() != Magick::GRAYColorspace)
    img.colorSpace(Magick::sRGBColorspace);
  img.type(Magick::TrueColorType);
  Magick::Geometry g(kSide, kSide);
  g.aspect(true);  // every picture to the same square: a resized copy lands on the same grid
  img.filterType(Magick::TriangleFilter);
  img.resize(g);
  const auto* px = img.getConstPixels(0, 0, kSide, kSide);
  if (!px || img.columns() != kSide || img.rows() != kSide) throw std::runtime_error("perceptual hash: no pixels");
  std::array<double, kSide * kSide> out{};
  using MagickCore::Quantum;  // QuantumRange names it unqualified
  constexpr double kMax = static_cast<double>(QuantumRange);
  for (int i = 0; i < kSide * kSide; ++i)
    out[static_cast<std::size_t>(i)] = (0.299 * px[i].red + 0.587 * px[i].green + 0.114 * px[i].blue) / kMax;
  return out;
}

}  // namespace

std::uint64_t perceptual_hash(const Inspected& inspected) {
  if (!inspected.decoded) throw std::runtime_error("perceptual hash: the image has no decoded frame");
  const auto grey = grey_levels(inspected.decoded->frame);
  // cos((2x + 1) u pi / 2N) for the kept frequencies.
  static const auto kCos = [] {
    std::array<std::array<double, kSide>, kLow> c{};
    for (int u = 0; u < kLow; ++u)
      for (int x = 0; x < kSide; ++x)
        c[static_cast<std::size_t>(u)][static_cast<std::size_t>(x)] =
            std::cos((2.0 * x + 1.0) * u * std::numbers::pi / (2.0 * kSide));
    return c;
  }();
  std::array<double, kLow * kLow> dct{};
  for (int u = 0; u < kLow; ++u)
    for (int v = 0; v < kLow; ++v) {
      double sum = 0;
      for (int y = 0; y < kSide; ++y)
        for (int x = 0; x < kSide; ++x)
          sum += grey[static_cast<std::size_t>(y * kSide + x)] *
                 kCos[static_cast<std::size_t>(u)][static_cast<std::size_t>(x)] *
                 kCos[static_cast<std::size_t>(v)][static_cast<std::size_t>(y)];
      dct[static_cast<std::size_t>(v * kLow + u)] = sum;
    }
  // The median of the 63 terms after the constant one.
  std::array<double, kLow * kLow - 1> ac{};
  std::copy(dct.begin() + 1, dct.end(), ac.begin());
  std::nth_element(ac.begin(), ac.begin() + ac.size() / 2, ac.end());
  const double median = ac[ac.size() / 2];
  std::uint64_t hash = 0;
  for (std::size_t i = 1; i < dct.size(); ++i)
    if (dct[i] > median) hash |= std::uint64_t{1} << (i - 1);
  return hash;
}

std::uint64_t perceptual_hash_of(std::string_view bytes, const Limits& limits) {
  return perceptual_hash(inspect(bytes, limits));
}

int hash_distance(std::uint64_t a, std::uint64_t b) { return std::popcount(a ^ b); }

}  // namespace imghost::image
