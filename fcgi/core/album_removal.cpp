#include "core/album_removal.hpp"

#include "core/image_removal.hpp"
#include "db/albums_repo.hpp"

namespace imghost::album_removal {
namespace {

constexpr int kBatch = 100;

void remove_album_images(db::Connection& conn, const store::Store& store, AppLog& log, long long album_seq,
                         RemovalCause cause, RemovalReport& report) {
  db::AlbumsRepo albums(conn);
  for (;;) {
    const auto members = albums.images_only_here(album_seq, kBatch);
    if (members.empty()) return;
    for (const auto& m : members)
      image_removal::remove_image_logged(conn, store, log, m.id, m.sha256, m.name, cause, report);
  }
}

}  // namespace

void tear_down(db::Connection& conn, const store::Store& store, AppLog& log, long long album_seq, RemovalCause cause,
               const i18n::Message& album_line, RemovalReport& report) {
  db::AlbumsRepo albums(conn);
  if (!albums.mark_deleting(album_seq)) return;
  remove_album_images(conn, store, log, album_seq, cause, report);
  if (albums.delete_album(album_seq)) {
    ++report.albums;
    log.success(album_line);
  }
}

i18n::Message deleted_line(const std::string& id, std::string_view by) {
  return by.empty() ? i18n::msg("album {} deleted.", id) : i18n::msg("album {} deleted by {}.", id, by);
}

RemovalReport remove_album(App& app, long long album_seq, const i18n::Message& album_line) {
  RemovalReport report;
  tear_down(app.db(), app.store(), app.log(), album_seq, RemovalCause::deleted, album_line, report);
  return report;
}

}  // namespace imghost::album_removal
