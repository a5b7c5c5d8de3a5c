#include "domain/human_size.hpp"

#include <fmt/format.h>

#include "domain/translate.hpp"

namespace imghost::units {

namespace {

// A unit's name in the current language ("MiB", "МБ").
std::string unit_name(std::size_t u) {
  switch (u) {
    case 0: return i18n::tr("KiB");
    case 1: return i18n::tr("MiB");
    case 2: return i18n::tr("GiB");
    default: return i18n::tr("TiB");
  }
}

}  // namespace

std::string human_size(std::uint64_t bytes) {
  if (bytes < 1024) return i18n::trnf("{} byte", "{} bytes", static_cast<long>(bytes), bytes);
  constexpr std::size_t kUnits = 4;
  double v = static_cast<double>(bytes) / 1024;
  std::size_t u = 0;
  while (v >= 1024 && u + 1 < kUnits) {
    v /= 1024;
    ++u;
  }
  // One decimal below 10 (2.4 MiB), none from 10 on (12 MiB); "5.0" is written "5".
  std::string n = v < 10 ? fmt::format("{:.1f}", v) : fmt::format("{:.0f}", v);
  if (n.size() > 2 && n.ends_with(".0")) n.resize(n.size() - 2);
  if (n == "1024" && u + 1 < kUnits) return i18n::trf("{} {}", 1, unit_name(u + 1));
  const auto dot = n.find('.');
  // TRANSLATORS: a number with one decimal, whole part then tenths: "2.4", "2,4".
  if (dot != std::string::npos) n = i18n::trf("{}.{}", n.substr(0, dot), n.substr(dot + 1));
  return i18n::trf("{} {}", n, unit_name(u));
}

}  // namespace imghost::units
