// Validation of an uploaded file: magic bytes, then header dimensions (ping), then a
// real decode with the coder forced, all under ImageMagick resource limits.
//
// Thread safety: ImageMagick's resource counters are per process; imghost workers are
// single-threaded processes, call configure_magick() (image/magick_setup.hpp) once at
// start.  The thumbnail of an inspected image: image/thumbnail.hpp.
#pragma once

#include <chrono>
#include <cstdint>
#include <memory>
#include <optional>
#include <set>
#include <stdexcept>
#include <string>
#include <string_view>

#include "domain/image_format.hpp"
#include "domain/image_limits.hpp"
#include "domain/translate.hpp"

namespace imghost::image {

// Why a file was refused.  `what()` is a message for the client without the file
// name (the caller adds it).  out_of_resources: ImageMagick ran out of memory, map or
// disk for an image that is within the limits (checked from its header before that):
// the server's state, not the file's fault, so worth retrying later.
class Rejection : public std::runtime_error {
 public:
  enum class Reason { unsupported_format, invalid_image, out_of_resources };
  Rejection(Reason r, i18n::Message msg) : std::runtime_error(msg.in("en")), reason(r), message(std::move(msg)) {}
  Reason reason;
  i18n::Message message;  // what() in any language (domain/translate.hpp)
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

// The refusal of a file sniffed as `sniffed` (nullopt: nothing known) when that is not
// one of limits.accepted; nullopt when it is.  What inspect() throws first, known from
// the first bytes alone (sniff.hpp): a caller holding a large file on disk need not
// read it whole to refuse it.
std::optional<Rejection> not_accepted(std::optional<Format> sniffed, const Limits& limits);

// Throws Rejection{unsupported_format} if the bytes are not one of limits.accepted,
// Rejection{invalid_image} if the header claims more than the limits allow, or the
// data does not decode (truncated, corrupt, too slow, a PNG decompression bomb), and
// Rejection{out_of_resources} if ImageMagick reports running out of memory, map or disk
// while decoding or reducing it (6.9.11's PNG coder does not always say so: see
// read_forced).  Never lets ImageMagick pick a coder from the content.
Inspected inspect(std::string_view bytes, const Limits& limits);

}  // namespace imghost::image
