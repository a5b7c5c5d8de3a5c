// Validation of an uploaded file: magic bytes, then header dimensions (ping), then a
// real decode with the coder forced, all under ImageMagick resource limits.
//
// Thread safety: ImageMagick's resource counters are per process; imghost workers are
// single-threaded processes, call configure_magick() once at start.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <set>
#include <stdexcept>
#include <string>
#include <string_view>

#include "domain/image_format.hpp"
#include "domain/image_limits.hpp"

namespace imghost::image {

// Why a file was refused.  `what()` is a message for the client without the file
// name (the caller adds it).  out_of_resources: ImageMagick ran out of memory, map or
// disk for an image that is within the limits (checked from its header before that):
// the server's state, not the file's fault, so worth retrying later.
class Rejection : public std::runtime_error {
 public:
  enum class Reason { unsupported_format, invalid_image, out_of_resources };
  Rejection(Reason r, const std::string& msg) : std::runtime_error(msg), reason(r) {}
  Reason reason;
};

// What a successful inspection learned.  Owns the first frame, already reduced to the
// thumbnail's size, so a thumbnail can be made later without decoding again; nothing of
// the full-size decode outlives inspect().
struct Inspected {
  Format format;
  std::uint32_t width = 0;  // of the original, from the header
  std::uint32_t height = 0;
  std::uint32_t frames = 1;
  struct Decoded;  // opaque: the decoded first frame (Magick++ inside)
  std::shared_ptr<Decoded> decoded;
};

// Sets ImageMagick's resource limits from `limits` (never the `time` limit, which
// _exit()s the process in 6.9.11), one OpenMP thread, and the coder lock-down; also
// tunes the process's allocator for image work (base::reuse_freed_memory).
// Call once per process before inspect().
void configure_magick(const Limits& limits);

// Throws Rejection{unsupported_format} if the bytes are not one of limits.accepted,
// Rejection{invalid_image} if the header claims more than the limits allow, or the
// data does not decode (truncated, corrupt, too slow, a PNG decompression bomb), and
// Rejection{out_of_resources} if ImageMagick reports running out of memory, map or disk
// while decoding or reducing it (6.9.11's PNG coder does not always say so: see
// read_forced).  Never lets ImageMagick pick a coder from the content.
Inspected inspect(std::string_view bytes, const Limits& limits);

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
