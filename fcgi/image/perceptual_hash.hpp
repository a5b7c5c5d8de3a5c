// A 64-bit perceptual hash of an image's pixels, for the block list: two images that
// look the same (re-encoded, resized, converted to another format, lightly cropped)
// get hashes a few bits apart, distinct pictures about 32 bits apart.
//
// The hash is the classic DCT one: the first frame flattened onto white, reduced to
// 32x32 grey levels, its 2-D DCT, and of the 8x8 lowest frequencies (the constant term
// left out) one bit each: above the median of the 63, or not.  Low frequencies survive
// scaling and compression; the median makes the hash indifferent to overall brightness
// and contrast.  Pure apart from ImageMagick's per-process resource counters.
#pragma once

#include <cstdint>
#include <string_view>

#include "domain/image_limits.hpp"
#include "image/inspect.hpp"

namespace imghost::image {

// The hash of an inspected image (from its thumbnail-sized frame: no second decode).
// Throws std::runtime_error when it has no decoded frame.
std::uint64_t perceptual_hash(const Inspected& inspected);

// inspect() then perceptual_hash(): for bytes already stored (a block of an existing
// image).  Throws what inspect() throws.
std::uint64_t perceptual_hash_of(std::string_view bytes, const Limits& limits);

// The number of bits in which two hashes differ (0..64).
int hash_distance(std::uint64_t a, std::uint64_t b);

// The distance under which two hashes are taken for the same picture (measured on
// photographs and their edited copies: bench/moderation, README "Moderation").
inline constexpr int kSamePictureDistance = 12;

}  // namespace imghost::image
