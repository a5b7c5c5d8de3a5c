#include "domain/variant_presets.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <stdexcept>

#include "domain/naming.hpp"

namespace imghost {

bool is_preset_name(std::string_view s) {
  return !s.empty() && s.size() <= 8 &&
         std::all_of(s.begin(), s.end(), [](char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); });
}

bool is_stem(std::string_view s) { return s.size() == 20 && naming::is_base32(s); }

std::string_view stem_of(std::string_view name) { return name.substr(0, name.rfind('.')); }

std::string VariantKey::text() const { return fmt::format("{}/{}.{}", preset, stem, variant_extension(format)); }

std::optional<VariantKey> parse_variant_key(std::string_view text) {
  const auto slash = text.find('/');
  const auto dot = text.rfind('.');
  if (slash == std::string_view::npos || dot == std::string_view::npos || dot < slash) return std::nullopt;
  const auto preset = text.substr(0, slash);
  const auto stem = text.substr(slash + 1, dot - slash - 1);
  const auto format = parse_variant_format(text.substr(dot + 1));
  if (!is_preset_name(preset) || !is_stem(stem) || !format) return std::nullopt;
  return VariantKey{std::string(preset), std::string(stem), *format};
}

namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

VariantPreset parse_item(std::string_view item) {
  const auto colon = item.find(':');
  if (colon == std::string_view::npos)
    throw std::invalid_argument(fmt::format("'{}' is not name:size (e.g. m:800)", item));
  const auto name = trim(item.substr(0, colon));
  const auto box_text = trim(item.substr(colon + 1));
  if (!is_preset_name(name))
    throw std::invalid_argument(fmt::format("'{}': a preset's name is 1 to 8 letters a-z or digits", name));
  std::uint32_t box = 0;
  const auto [end, ec] = std::from_chars(box_text.data(), box_text.data() + box_text.size(), box);
  if (ec != std::errc() || end != box_text.data() + box_text.size() || box < kMinVariantBox || box > kMaxVariantBox)
    throw std::invalid_argument(fmt::format("'{}': the size of preset {} must be a number of pixels from {} to {}",
                                            box_text, name, kMinVariantBox, kMaxVariantBox));
  return {std::string(name), box};
}

}  // namespace

VariantPresets default_variant_presets() { return {{"s", 320}, {"m", 800}, {"l", 1600}}; }

VariantPresets parse_variant_presets(std::string_view text) {
  VariantPresets out;
  while (true) {
    const auto comma = text.find(',');
    const auto item = trim(text.substr(0, comma));
    if (item.empty()) {
      if (comma != std::string_view::npos || !out.empty())
        throw std::invalid_argument("an empty item in the list (two commas, or one at an end)");
    } else {
      auto preset = parse_item(item);
      for (const auto& p : out) {
        if (p.name == preset.name) throw std::invalid_argument(fmt::format("preset {} is given twice", p.name));
        if (p.box == preset.box)
          throw std::invalid_argument(fmt::format("presets {} and {} have the same size", p.name, preset.name));
      }
      out.push_back(std::move(preset));
    }
    if (comma == std::string_view::npos) break;
    text.remove_prefix(comma + 1);
  }
  if (out.empty()) throw std::invalid_argument("no preset (expected e.g. s:320, m:800, l:1600)");
  if (out.size() > kMaxVariantPresets)
    throw std::invalid_argument(fmt::format("{} presets; at most {}", out.size(), kMaxVariantPresets));
  std::sort(out.begin(), out.end(), [](const auto& a, const auto& b) { return a.box < b.box; });
  return out;
}

std::string print_variant_presets(const VariantPresets& presets) {
  std::string out;
  for (const auto& p : presets) out += fmt::format("{}{}:{}", out.empty() ? "" : ",", p.name, p.box);
  return out;
}

const VariantPreset* find_variant_preset(const VariantPresets& presets, std::string_view name) {
  for (const auto& p : presets)
    if (p.name == name) return &p;
  return nullptr;
}

std::optional<VariantFormat> parse_variant_format(std::string_view ext) {
  for (const auto f : kVariantFormats)
    if (variant_extension(f) == ext) return f;
  return std::nullopt;
}

std::string_view variant_extension(VariantFormat f) {
  switch (f) {
    case VariantFormat::webp: return "webp";
    case VariantFormat::avif: return "avif";
    case VariantFormat::jpeg: return "jpeg";
    case VariantFormat::png: return "png";
  }
  return "";
}

std::string_view variant_content_type(VariantFormat f) {
  switch (f) {
    case VariantFormat::webp: return "image/webp";
    case VariantFormat::avif: return "image/avif";
    case VariantFormat::jpeg: return "image/jpeg";
    case VariantFormat::png: return "image/png";
  }
  return "";
}

}  // namespace imghost
