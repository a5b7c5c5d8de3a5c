#include "core/variants.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <vector>

#include "base/crypto.hpp"
#include "core/catalog.hpp"
#include "db/images_repo.hpp"
#include "db/locks.hpp"
#include "domain/error.hpp"
#include "domain/image_format.hpp"
#include "domain/translate.hpp"
#include "image/variant.hpp"

namespace imghost {

namespace {

Error no_such_variant() { return errors::not_found(i18n::tr("no such image")); }

// The live image whose stored name has this stem (its extension is the original's
// format, which the URL does not say): one query over the names it can have.  Throws
// as catalog::find_live_named.
ImageRecord image_with_stem(App& app, const std::string& stem) {
  std::vector<std::string> names;
  for (const auto f : {image::Format::jpeg, image::Format::png, image::Format::gif, image::Format::webp,
                       image::Format::mp4, image::Format::webm})
    names.push_back(stem + "." + std::string(image::extension(f)));
  try {
    return catalog::find_live_named_any(app, names);
  } catch (const Error& e) {
    if (e.code() == ErrorCode::not_found) throw no_such_variant();
    throw;
  }
}

// The bytes a variant of `image` is made from: its original, or a video's poster (the
// frame stored as its thumbnail: a video's variants are of its poster).
std::optional<std::string> variant_source(App& app, const ImageRecord& image) {
  if (image.kind == "video") return app.store().read(store::Object::thumbnail, image.name);
  return app.store().read(store::Object::original, image.name);
}

}  // namespace

MadeVariant serve_missing_variant(App& app, std::string_view preset_name, std::string_view file) {
  const VariantPreset* preset = find_variant_preset(app.config().variant_presets, preset_name);
  if (!preset) throw no_such_variant();
  const auto key = parse_variant_key(fmt::format("{}/{}", preset_name, file));
  if (!key) throw no_such_variant();
  const ImageRecord image = image_with_stem(app, key->stem);
  const auto sha = crypto::sha256_from_hex(image.sha256);
  if (!sha) throw std::runtime_error("image " + image.id + " has no valid sha256");

  db::SessionLock lock(app.db(), *sha);
  if (auto made = app.store().read_variant(key->text())) return {std::move(*made), key->format};
  // Deleted or expired while we waited for the lock: its files are gone, and so must
  // this variant be.
  if (!db::ImagesRepo(app.db()).image_named(image.name)) throw no_such_variant();
  const auto source = variant_source(app, image);
  if (!source) throw no_such_variant();
  std::string bytes;
  try {
    bytes = image::make_variant(*source, app.config().image, preset->box, key->format);
  } catch (const image::Rejection& e) {
    if (e.reason == image::Rejection::Reason::out_of_resources)
      throw errors::unavailable(i18n::msg("variant {}: {}", key->text(), e.what()));
    throw errors::not_found(i18n::trf("no variant of this image: {}", e.what()));
  }
  app.store().put_variant(key->text(), bytes);
  return {std::move(bytes), key->format};
}

VariantsTrimmed trim_variants(const store::Store& store, std::uint64_t max_bytes) {
  std::vector<store::VariantFile> files;
  std::uint64_t total = 0;
  store.walk_variants([&](const store::VariantFile& f) {
    total += f.bytes;
    files.push_back(f);
  });
  VariantsTrimmed out;
  if (total > max_bytes) {
    std::sort(files.begin(), files.end(), [](const auto& a, const auto& b) {
      return a.last_used != b.last_used ? a.last_used < b.last_used : a.key < b.key;
    });
    for (const auto& f : files) {
      if (total <= max_bytes) break;
      store.remove_variant(f.key);
      total -= f.bytes;
      ++out.removed;
    }
  }
  out.bytes_left = total;
  return out;
}

}  // namespace imghost
