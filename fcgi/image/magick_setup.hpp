// ImageMagick's process-wide settings for a worker (see magick_setup.cpp for where the
// coder policy comes from).
#pragma once

#include "domain/image_limits.hpp"

namespace imghost::image {

// Sets ImageMagick's resource limits from `limits` (never the `time` limit, which
// _exit()s the process in 6.9.11), one OpenMP thread, and the coder lock-down; also
// tunes the process's allocator for image work (base::reuse_freed_memory).
// Call once per process before inspect().
void configure_magick(const Limits& limits);

}  // namespace imghost::image
