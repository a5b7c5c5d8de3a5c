#include "base/allocator.hpp"

#include <fcntl.h>
#include <malloc.h>
#include <unistd.h>

#include <cstdlib>

namespace imghost::base {
namespace {

// The resident size in bytes (statm's second field, in pages); 0 when unreadable.
std::size_t resident_bytes() noexcept {
  const int fd = ::open("/proc/self/statm", O_RDONLY | O_CLOEXEC);
  if (fd < 0) return 0;
  char text[128];
  const ssize_t n = ::read(fd, text, sizeof text - 1);
  ::close(fd);
  if (n <= 0) return 0;
  text[n] = '\0';
  char* end = nullptr;
  std::strtoull(text, &end, 10);  // the total size, skipped
  const auto pages = std::strtoull(end, nullptr, 10);
  return static_cast<std::size_t>(pages) * static_cast<std::size_t>(::sysconf(_SC_PAGESIZE));
}

}  // namespace

void reuse_freed_memory() noexcept {
  constexpr int kMiB = 1 << 20;
  mallopt(M_MMAP_THRESHOLD, 32 * kMiB);  // glibc's maximum on 64-bit
  mallopt(M_TRIM_THRESHOLD, 64 * kMiB);
}

void trim_when_over(std::size_t budget) noexcept {
  if (resident_bytes() > budget) malloc_trim(0);
}

}  // namespace imghost::base
