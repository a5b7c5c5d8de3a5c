// Variants on demand (API.md, "Variants"): GET /v/<preset>/<stem>.<fmt> when nginx found
// no file for it.  The worker makes the variant from the live image's original, stores
// it for nginx to serve from then on, and answers with it.
//
// Made once: the whole make-and-store runs under the image's content lock (db/locks.hpp),
// which the first request takes and the concurrent ones wait for; each looks for the
// file again once it holds the lock, so only the first makes it.  The same lock orders
// it against a delete or an expiry (they hold it from before their COMMIT until their
// files are gone, core/image_removal.hpp): either the variant is written first and the
// removal takes it with the image's other files, or the image row is gone when the
// worker looks and nothing is written.
#pragma once

#include <string>
#include <string_view>

#include <cstdint>

#include "core/app.hpp"
#include "domain/variant_presets.hpp"
#include "store/store.hpp"

namespace imghost {

struct MadeVariant {
  std::string bytes;
  VariantFormat format = VariantFormat::webp;
};

// The variant `file` ("<stem>.<ext>") of preset `preset`, from the store or made now.
// Throws errors not_found (a preset not configured, a format not offered, a malformed or
// unknown name, a file that makes no variant), expired (410, the image's time is up),
// unavailable (the server ran short of memory or disk for it), std::system_error (store)
// or db::DbError.
MadeVariant serve_missing_variant(App& app, std::string_view preset, std::string_view file);

struct VariantsTrimmed {
  std::size_t removed = 0;       // variant files removed
  std::uint64_t bytes_left = 0;  // what all variants take after
};

// The cleanup's share (`imghost-admin expire`): when all variants together take more than
// `max_bytes`, removes the least recently used (Store::VariantFile::last_used, then key)
// until they fit.  A removed variant is made again on its next request.  One walk of the
// variants per run.  Throws std::system_error (store).
VariantsTrimmed trim_variants(const store::Store& store, std::uint64_t max_bytes);

}  // namespace imghost
