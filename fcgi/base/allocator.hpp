// The process's allocator, set for a worker's pattern of work: the same few big blocks
// (a file's bytes, pixel caches of a few MB) allocated and freed for every upload.
#pragma once

#include <cstddef>

namespace imghost::base {

// glibc gives blocks over 128 KiB (raised up to 32 MiB as it sees them freed) straight
// from mmap and back to the kernel on free, so every upload pays a page fault for each
// 4 KiB page of every big block (it measured 400 per 20 KB PNG, about half of its
// thumbnail's CPU time on this virtual machine).  This keeps blocks up to 32 MiB in
// the heap and keeps up to 64 MiB of freed memory for reuse: the resident size then
// stays at the largest working set seen, which a worker reaches in its first few
// requests.  Blocks over 32 MiB (a 50-megapixel pixel cache) are still mapped and
// unmapped one by one.  Call once, early, in each process that decodes images.
void reuse_freed_memory() noexcept;

// Gives every freed page back to the kernel (malloc_trim) when the resident size is over
// `budget` bytes, and does nothing (one read of /proc/self/statm) when it is not.  For
// the moment after an answer: what the usual request needs stays resident for the next,
// while a rare big one (a large AVIF variant takes a worker past 100 MB) does not leave
// the worker that size for every request after it.
void trim_when_over(std::size_t budget) noexcept;

}  // namespace imghost::base
