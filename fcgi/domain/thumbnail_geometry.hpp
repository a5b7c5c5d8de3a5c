// Thumbnail geometry: what make_thumbnail() makes, and what the pages state as a
// thumbnail's width and height in <img> (so a page does not jump as images load).  Pure.
#pragma once

#include <algorithm>
#include <cstdint>
#include <utility>

namespace imghost {

// The size of a width x height image scaled to fit in box x box, keeping its aspect
// ratio (rounded to the nearest pixel, at least 1), never enlarged.
constexpr std::pair<std::uint32_t, std::uint32_t> fit_within(std::uint32_t width, std::uint32_t height,
                                                             std::uint32_t box) {
  if (width <= box && height <= box) return {width, height};
  const std::uint64_t w = width, h = height, b = box;
  auto scaled = [](std::uint64_t side, std::uint64_t num, std::uint64_t den) {
    return static_cast<std::uint32_t>(std::max<std::uint64_t>(1, (side * num + den / 2) / den));
  };
  if (w >= h) return {box, scaled(h, b, w)};
  return {scaled(w, b, h), box};
}

// The same in a box_width x box_height box (oEmbed's maxwidth and maxheight): the side
// that overflows the most decides the scale; never enlarged.
constexpr std::pair<std::uint32_t, std::uint32_t> fit_box(std::uint32_t width, std::uint32_t height,
                                                          std::uint32_t box_width, std::uint32_t box_height) {
  if (width <= box_width && height <= box_height) return {width, height};
  const std::uint64_t w = width, h = height, bw = box_width, bh = box_height;
  auto scaled = [](std::uint64_t side, std::uint64_t num, std::uint64_t den) {
    return static_cast<std::uint32_t>(std::max<std::uint64_t>(1, (side * num + den / 2) / den));
  };
  if (w * bh >= h * bw) return {box_width, scaled(h, bw, w)};
  return {scaled(w, bh, h), box_height};
}

}  // namespace imghost
