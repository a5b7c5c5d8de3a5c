#include "core/previews.hpp"

#include "core/albums.hpp"
#include "core/catalog.hpp"

namespace imghost::previews {

std::optional<ImageRecord> album_picture(App& app, const AlbumRecord& album) {
  if (album.cover_id) {
    // The cover is an image of the album (albums::edit checks it); one that has expired
    // (its own "Keep for") no longer stands for it.
    if (auto cover = catalog::find(app, *album.cover_id); cover && !cover->expired) return cover;
  }
  auto first = catalog::album_items(app, album.seq, std::nullopt, 1);
  if (first.empty()) return std::nullopt;
  return std::move(first.front().image);
}

Linked find(App& app, const SiteLink& link) {
  Linked out;
  switch (link.kind) {
    case SiteLink::Kind::image_page: out.image = catalog::find_live(app, link.key); break;
    // The direct link answers as the image's page: 404 once its row is gone, 410 while
    // expired (its file is removed soon after).
    case SiteLink::Kind::image_file: out.image = catalog::find_live_named(app, link.key); break;
    case SiteLink::Kind::album_page:
      out.album = albums::find_live(app, link.key);
      out.picture = album_picture(app, *out.album);
      break;
  }
  return out;
}

}  // namespace imghost::previews
