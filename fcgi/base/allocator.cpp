#include "base/allocator.hpp"

#include <malloc.h>

namespace imghost::base {

void reuse_freed_memory() noexcept {
  constexpr int kMiB = 1 << 20;
  mallopt(M_MMAP_THRESHOLD, 32 * kMiB);  // glibc's maximum on 64-bit
  mallopt(M_TRIM_THRESHOLD, 64 * kMiB);
}

}  // namespace imghost::base
