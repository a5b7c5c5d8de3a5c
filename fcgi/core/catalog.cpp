#include "core/catalog.hpp"

#include "core/moderation.hpp"
#include "db/albums_repo.hpp"
#include "db/images_repo.hpp"
#include "domain/error.hpp"
#include "domain/naming.hpp"

namespace imghost::catalog {

namespace {

// The image a client may see: 404 when there is none, 451 when the operator took it
// down (its tombstone, asked for only when the row is missing: live images cost no
// second query), 410 once past its time (gone for everyone, though the cleanup may not
// have removed it yet: docs/albums-expiry-design.md).
template <class Tombstone>
ImageRecord live(std::optional<ImageRecord> rec, Tombstone tombstone) {
  if (!rec) {
    if (tombstone()) throw errors::taken_down(i18n::msg("this image has been taken down by the operator"));
    throw errors::not_found(i18n::msg("no such image"));
  }
  if (rec->expired) throw errors::expired(i18n::msg("this image has expired"));
  return std::move(*rec);
}

}  // namespace

ImageRecord find_live(App& app, const std::string& id) {
  if (!naming::is_image_id(id)) throw errors::not_found(i18n::msg("no such image"));
  return live(find(app, id), [&] { return moderation::tombstone_of(app, id); });
}

ImageRecord find_live_named(App& app, const std::string& name) {
  if (!naming::is_file_name(name)) throw errors::not_found(i18n::msg("no such image"));
  return live(db::ImagesRepo(app.db()).find_named(name), [&] { return moderation::tombstone_of_name(app, name); });
}

ImageRecord find_live_named_any(App& app, const std::vector<std::string>& names) {
  std::vector<std::string> valid;
  for (const auto& n : names)
    if (naming::is_file_name(n)) valid.push_back(n);
  if (valid.empty()) throw errors::not_found(i18n::msg("no such image"));
  return live(db::ImagesRepo(app.db()).find_named_any(valid),
              [&] { return moderation::tombstone_of_any_name(app, valid); });
}

std::optional<ImageRecord> find(App& app, const std::string& id) { return db::ImagesRepo(app.db()).find(id); }

std::vector<ImageRecord> public_images(App& app, std::optional<long long> before, int limit) {
  return db::ImagesRepo(app.db()).list_public(before, limit);
}

std::vector<ImageRecord> owned_images(App& app, long long owner_id, std::optional<long long> before, int limit) {
  return db::ImagesRepo(app.db()).list_owned(owner_id, before, limit);
}

std::vector<AlbumItem> album_items(App& app, long long album_seq, std::optional<long long> after, int limit) {
  return db::ImagesRepo(app.db()).list_album_items(album_seq, after, limit);
}

std::optional<AlbumRecord> album_of_image(App& app, long long image_seq) {
  return db::AlbumsRepo(app.db()).album_of_image(image_seq);
}

}  // namespace imghost::catalog
