// Variants' presets and formats (API.md, "Variants"): the only sizes and formats a
// variant can have, so nothing a client sends chooses an arbitrary resize.  Pure.
//
// The configuration names them as `variant_presets = s:320, m:800, l:1600`: a preset's
// name (1 to 8 lower-case letters or digits, the URL's /v/<preset>/ part) and the side
// of the square box its variants fit in (never enlarged).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace imghost {

struct VariantPreset {
  std::string name;
  std::uint32_t box = 0;  // fits in box x box pixels
  bool operator==(const VariantPreset&) const = default;
};

// The presets in force, smallest box first (the order pages list them in srcset).
using VariantPresets = std::vector<VariantPreset>;

// s 320, m 800, l 1600.
VariantPresets default_variant_presets();

// The smallest and largest box a preset may have.
inline constexpr std::uint32_t kMinVariantBox = 16;
inline constexpr std::uint32_t kMaxVariantBox = 8192;
// At most this many presets (each one multiplies the files a popular image can have).
inline constexpr std::size_t kMaxVariantPresets = 8;

// Parses "name:box, name:box, ..." into presets sorted by box.  Throws
// std::invalid_argument with a message naming the bad item: an empty list, an item that
// is not name:box, a bad name, a box out of [kMinVariantBox, kMaxVariantBox], a name or
// a box given twice, more than kMaxVariantPresets.
VariantPresets parse_variant_presets(std::string_view text);

// The same list as text, as parse_variant_presets() reads it.
std::string print_variant_presets(const VariantPresets& presets);

// The preset named `name`, or nullptr.
const VariantPreset* find_variant_preset(const VariantPresets& presets, std::string_view name);

// The formats a variant can be written in, as the URL spells them.
enum class VariantFormat { webp, avif, jpeg, png };

// "webp" → webp ...; nullopt for anything else (also "jpg": the URL says "jpeg").
std::optional<VariantFormat> parse_variant_format(std::string_view ext);
std::string_view variant_extension(VariantFormat f);
std::string_view variant_content_type(VariantFormat f);
// Every format, in the order pages offer them (<source> AVIF first, then WebP).
inline constexpr VariantFormat kVariantFormats[] = {VariantFormat::avif, VariantFormat::webp, VariantFormat::jpeg,
                                                    VariantFormat::png};

// One variant file: preset, the stored name's stem (its 20 characters without the
// extension) and format.  Its key, "<preset>/<stem>.<ext>", names it in a store.
struct VariantKey {
  std::string preset;
  std::string stem;
  VariantFormat format = VariantFormat::webp;
  std::string text() const;
  bool operator==(const VariantKey&) const = default;
};

// The key of "<preset>/<stem>.<ext>" when preset, stem and format are well-formed (not
// whether the preset is configured); nullopt otherwise.
std::optional<VariantKey> parse_variant_key(std::string_view text);
// A stored name without its extension ("3kq9...x2.jpg" → "3kq9...x2").
std::string_view stem_of(std::string_view name);
// Whether `s` is the stem of a generated name (20 base32 characters).
bool is_stem(std::string_view s);
// Whether `s` could be a preset's name (1 to 8 letters a-z or digits).
bool is_preset_name(std::string_view s);

}  // namespace imghost
