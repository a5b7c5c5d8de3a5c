// Sizes and limits in the units people read.  Pure, thread-safe.
#pragma once

#include <cstdint>
#include <string>

#include "core/config.hpp"

namespace imghost::units {

// "830 bytes", "12 KiB", "2.4 MiB", "1.5 GiB": binary units, one decimal under 10, none
// above, and no ".0".
std::string human_size(std::uint64_t bytes);

// The upload limits of `c` as a sentence for forms and error pages: "JPEG, PNG, GIF or
// WebP, up to 5 MiB each, at most 20 files per upload" (no final period).
std::string upload_limits(const Config& c);

}  // namespace imghost::units
