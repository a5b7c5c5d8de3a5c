#include "admin/own_names.hpp"

#include <fmt/format.h>

#include "core/image_removal.hpp"
#include "db/images_repo.hpp"
#include "db/locks.hpp"
#include "domain/image_format.hpp"
#include "domain/naming.hpp"

namespace imghost::admin {
namespace {

constexpr int kBatch = 500;

// The extension of a generated name is its format's ("jpg", "png"...).
image::Format format_of(const std::string& name) {
  const auto dot = name.rfind('.');
  const auto f = dot == std::string::npos ? std::nullopt : image::parse_format(name.substr(dot + 1));
  return f.value_or(image::Format::jpeg);
}

}  // namespace

OwnNamesResult give_own_names(const store::Store& store, db::Connection& conn, AppLog& log, std::FILE* out) {
  db::ImagesRepo repo(conn);
  OwnNamesResult r;
  long long after = 0;
  for (;;) {
    const auto batch = repo.images_sharing_a_name(after, kBatch);
    if (batch.empty()) break;
    for (const auto& img : batch) {
      after = img.seq;
      db::SessionLock lock(conn, img.sha256);
      const auto bytes = store.read(store::Object::original, img.name);
      if (!bytes) {
        ++r.missing;
        std::fprintf(out, "%s is missing: left for the repair check\n",
                     store.where(store::Object::original, img.name).c_str());
        continue;
      }
      const std::string own = naming::new_file_name(format_of(img.name));
      store::Staged staged = store.stage(*bytes, false);
      store.share(staged, img.name, own);
      if (const auto thumb = store.read(store::Object::thumbnail, img.name)) store.put_thumbnail(own, *thumb);
      bool renamed = false, orphaned = false;
      {
        db::Transaction tx(conn);
        renamed = repo.rename_file(img.seq, img.name, own);
        if (renamed) {
          // The old name's other images may have been deleted meanwhile: then no row
          // names it any more, and it goes as a delete's file would.
          repo.release_content(img.sha256, img.name);
          orphaned = !repo.image_named(img.name);
          if (orphaned) repo.queue_removal(img.name);
        }
        tx.commit();
      }
      if (!renamed) {
        store::remove_both(store, own);  // deleted meanwhile: nothing names the new file
        continue;
      }
      ++r.renamed;
      if (orphaned) image_removal::unlink_queued(repo, store, log, img.name);
    }
    std::fprintf(out, "own names: %zu images given a name of their own so far\n", r.renamed);
    std::fflush(out);
  }
  if (r.renamed > 0 || r.missing > 0)
    log.success(
        i18n::msg("migrate gave {} images a file name of their own; {} shared files missing.", r.renamed, r.missing));
  return r;
}

}  // namespace imghost::admin
