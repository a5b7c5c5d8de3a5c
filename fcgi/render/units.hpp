// Sizes and limits in the units people read.  Pure, thread-safe.
#pragma once

#include <cstdint>
#include <ctime>
#include <optional>
#include <string>
#include <string_view>

#include "domain/config.hpp"
#include "domain/human_size.hpp"  // units::human_size

namespace imghost::units {

// The upload limits of `c` as a sentence for forms and error pages: "JPEG, PNG, GIF or
// WebP, up to 5 MiB each, at most 20 files per upload" (no final period).
std::string upload_limits(const Config& c);
// The video limits of `c` for the form: "MP4 or WebM videos up to 200 MiB and 10 minutes
// each"; empty when no video is accepted.
std::string video_limits(const Config& c);

// How long until something expires, as the pages say it: "expires in 10 minutes",
// "expires in 3 hours", "expires in 2 days" (rounded to the nearest minute under an hour,
// to the nearest hour under a day, else to the nearest day; "less than a minute" under
// 30 seconds), or "has expired" at 0 seconds and below.
std::string expires_in(long long seconds_left);

// Seconds from `now` until `iso` ("2026-11-23T10:00:00Z", as the repositories give times),
// negative when past; nullopt when `iso` is not that shape.
std::optional<long long> seconds_until(std::string_view iso, std::time_t now);

}  // namespace imghost::units
