#include "render/units.hpp"

#include <fmt/format.h>

#include <charconv>

#include "base/text.hpp"
#include "domain/image_format.hpp"
#include "domain/translate.hpp"

namespace imghost::units {

std::string upload_limits(const Config& c) {
  // TRANSLATORS: the formats ("JPEG, PNG, GIF or WebP"), a size, then "20 files".
  return i18n::trf("{}, up to {} each, at most {} per upload", image::describe(c.image.accepted),
                   human_size(c.max_file_bytes), i18n::trnf("{} file", "{} files", c.max_files, c.max_files));
}

std::string video_limits(const Config& c) {
  if (c.video.accepted.empty()) return {};
  const auto s = static_cast<long>(c.video.max_duration_s);
  const auto duration =
      s % 60 == 0 ? i18n::trnf("{} minute", "{} minutes", s / 60, s / 60) : i18n::trnf("{} second", "{} seconds", s, s);
  // TRANSLATORS: the containers ("MP4 or WebM"), a size, then a duration ("10 minutes").
  return i18n::trf("{} videos up to {} and {} each", image::describe(c.video.accepted), human_size(c.video.max_bytes),
                   duration);
}

std::string expires_in(long long seconds_left) {
  if (seconds_left <= 0) return i18n::tr("has expired");
  if (seconds_left < 30) return i18n::tr("expires in less than a minute");
  constexpr long long kMinute = 60, kHour = 3600, kDay = 86400;
  // Rounded to the nearest unit (+ half a unit, then truncated); the unit grows as soon
  // as the rounded count would reach the next one ("60 minutes" is "1 hour").
  const auto count = [&](long long unit) { return static_cast<long>((seconds_left + unit / 2) / unit); };
  if (seconds_left < kHour - kMinute / 2) {
    const auto n = count(kMinute);
    return i18n::trnf("expires in {} minute", "expires in {} minutes", n, n);
  }
  if (seconds_left < kDay - kHour / 2) {
    const auto n = count(kHour);
    return i18n::trnf("expires in {} hour", "expires in {} hours", n, n);
  }
  const auto n = count(kDay);
  return i18n::trnf("expires in {} day", "expires in {} days", n, n);
}

std::optional<long long> seconds_until(std::string_view iso, std::time_t now) {
  // YYYY-MM-DDTHH:MM:SSZ, exactly.
  if (iso.size() != 20 || iso[4] != '-' || iso[7] != '-' || iso[10] != 'T' || iso[13] != ':' || iso[16] != ':' ||
      iso[19] != 'Z')
    return std::nullopt;
  const auto number = [&](std::size_t at, std::size_t len) -> std::optional<int> {
    int v = 0;
    const auto [p, ec] = std::from_chars(iso.data() + at, iso.data() + at + len, v);
    if (ec != std::errc() || p != iso.data() + at + len) return std::nullopt;
    return v;
  };
  const auto y = number(0, 4), mo = number(5, 2), d = number(8, 2), h = number(11, 2), mi = number(14, 2),
             s = number(17, 2);
  if (!y || !mo || !d || !h || !mi || !s || *mo < 1 || *mo > 12 || *d < 1 || *d > 31 || *h > 23 || *mi > 59 || *s > 60)
    return std::nullopt;
  std::tm tm{};
  tm.tm_year = *y - 1900;
  tm.tm_mon = *mo - 1;
  tm.tm_mday = *d;
  tm.tm_hour = *h;
  tm.tm_min = *mi;
  tm.tm_sec = *s;
  return static_cast<long long>(timegm(&tm)) - static_cast<long long>(now);
}

}  // namespace imghost::units
