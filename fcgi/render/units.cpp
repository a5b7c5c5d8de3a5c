#include "render/units.hpp"

#include <fmt/format.h>

#include "image/format.hpp"

namespace imghost::units {

std::string human_size(std::uint64_t bytes) {
  if (bytes < 1024) return fmt::format("{} byte{}", bytes, bytes == 1 ? "" : "s");
  static constexpr const char* kUnits[] = {"KiB", "MiB", "GiB", "TiB"};
  double v = static_cast<double>(bytes) / 1024;
  std::size_t u = 0;
  while (v >= 1024 && u + 1 < std::size(kUnits)) {
    v /= 1024;
    ++u;
  }
  // One decimal below 10 (2.4 MiB), none from 10 on (12 MiB); "5.0" is written "5".
  std::string n = v < 10 ? fmt::format("{:.1f}", v) : fmt::format("{:.0f}", v);
  if (n.size() > 2 && n.ends_with(".0")) n.resize(n.size() - 2);
  if (n == "1024" && u + 1 < std::size(kUnits)) return fmt::format("1 {}", kUnits[u + 1]);
  return fmt::format("{} {}", n, kUnits[u]);
}

std::string upload_limits(const Config& c) {
  return fmt::format("{}, up to {} each, at most {} file{} per upload", image::describe(c.image.accepted),
                     human_size(c.max_file_bytes), c.max_files, c.max_files == 1 ? "" : "s");
}

}  // namespace imghost::units
