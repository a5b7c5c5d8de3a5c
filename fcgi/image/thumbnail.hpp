// The thumbnail of an image inspect() accepted: made from the frame it kept, or the
// stored file itself when that is small enough (see thumbnail.cpp).
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include "domain/image_limits.hpp"
#include "image/inspect.hpp"

namespace imghost::image {

// The thumbnail of an inspected image: first frame, fit in size x size keeping the
// aspect ratio (never enlarged), encoded in the original's format (still, not
// animated), metadata stripped.  Throws std::runtime_error if encoding fails.
std::string make_thumbnail(const Inspected& inspected, std::uint32_t size);

// A stored file that already fits in the thumbnail's box and weighs no more than a
// thumbnail may is its own thumbnail: no encode, nothing lost (an animation then stays
// animated).
inline constexpr std::size_t kMaxOriginalAsThumbnailBytes = 128u << 10;

// Whether a stored file of `stored_bytes` is its own thumbnail: the image fits in
// size x size and the file is at most kMaxOriginalAsThumbnailBytes.
bool is_own_thumbnail(const Inspected& inspected, std::size_t stored_bytes, std::uint32_t size);

// The thumbnail of a stored file: `stored` itself when is_own_thumbnail(), else
// make_thumbnail().
// `inspected` is inspect()'s result for these bytes (or for the upload they were
// stripped from: same pixels).
std::string thumbnail_of(const Inspected& inspected, std::string_view stored, std::uint32_t size);

// Convenience for the on-demand path: inspect() then thumbnail_of().
std::string thumbnail_from_bytes(std::string_view bytes, const Limits& limits);

}  // namespace imghost::image
