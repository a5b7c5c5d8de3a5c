#include "admin/migrate_store.hpp"

#include <fmt/format.h>

#include <map>
#include <set>
#include <string>

#include "base/crypto.hpp"
#include "db/images_repo.hpp"
#include "db/locks.hpp"

namespace imghost::admin {

using store::Entry;
using store::Object;

MigrateStoreResult migrate_store(const store::Store& source, const store::Store& target, db::Connection& conn,
                                 AppLog& log, std::FILE* out) {
  db::ImagesRepo repo(conn);
  MigrateStoreResult r;

  std::set<std::string> originals, thumbs;
  source.walk([&](const Entry& e) {
    if (e.kind == Entry::Kind::original) originals.insert(e.name);
    if (e.kind == Entry::Kind::thumbnail) thumbs.insert(e.name);
  });
  std::set<std::string> names(originals.begin(), originals.end());
  names.insert(thumbs.begin(), thumbs.end());
  std::fprintf(out, "%zu originals and %zu thumbnails to move from %s to %s\n", originals.size(), thumbs.size(),
               source.location().c_str(), target.location().c_str());

  // Rows read after the walk: a file walked above whose row is not here has no row
  // (rows are committed after their file is placed, and names are never reused).
  std::map<std::string, crypto::Sha256> sha_of;
  for (const auto& row : repo.all_files()) sha_of.emplace(row.name, row.sha256);
  // Bytes already written to the target in this run, by content: another name of the
  // same bytes shares them there (a hard link on a local disk) instead of a new copy.
  std::map<crypto::Sha256, std::string> in_target;

  std::size_t done = 0;
  for (const auto& name : names) {
    const auto it = sha_of.find(name);
    if (it == sha_of.end()) {
      ++r.without_row;
      std::fprintf(out, "no row names %s: left for the repair check\n", source.where(Object::original, name).c_str());
      continue;
    }
    db::SessionLock lock(conn, it->second);
    if (!repo.image_named(name)) continue;  // deleted meanwhile: the delete removed it from both stores

    if (originals.count(name)) {
      if (const auto bytes = source.read(Object::original, name)) {
        if (crypto::sha256(*bytes) != it->second) {
          ++r.refused;
          std::fprintf(out, "%s does not hold the bytes its row names (SHA-256 differs): left where it is\n",
                       source.where(Object::original, name).c_str());
          continue;
        }
        // A copy already in the target (a run killed after it) is trusted only if it
        // holds the right bytes: a PUT cut off by the kill may have left a torn one on a
        // server less careful than S3.
        const auto copied = target.read(Object::original, name);
        if (!copied || crypto::sha256(*copied) != it->second) {
          store::Staged staged = target.stage(*bytes);
          if (const auto twin = in_target.find(it->second); twin != in_target.end())
            target.share(staged, twin->second, name);
          else
            target.place(staged, name);
        }
        in_target.try_emplace(it->second, name);
        source.remove(Object::original, name);
        ++r.originals;
      }
    }
    if (thumbs.count(name)) {
      if (const auto bytes = source.read(Object::thumbnail, name)) {
        if (target.read(Object::thumbnail, name) != bytes) target.put_thumbnail(name, *bytes);
        source.remove(Object::thumbnail, name);
        ++r.thumbnails;
      }
    }
    if (++done % 500 == 0) std::fprintf(out, "%zu of %zu names done\n", done, names.size());
    std::fflush(out);
  }

  const auto summary = i18n::msg(
      "migrate-store moved {} originals and {} thumbnails from {} to {}; {} files without a row left for the repair "
      "check, {} refused.",
      r.originals, r.thumbnails, source.location(), target.location(), r.without_row, r.refused);
  std::fprintf(out, "%s\n", summary.in("en").c_str());
  if (r.refused > 0)
    log.error(summary);
  else
    log.success(summary);
  return r;
}

}  // namespace imghost::admin
