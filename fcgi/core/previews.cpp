#include "core/previews.hpp"

#include "core/albums.hpp"
#include "core/catalog.hpp"
#include "db/images_repo.hpp"
#include "domain/error.hpp"

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
    case SiteLink::Kind::image_file: {
      // The direct link answers 404 once its row is gone, and its file is removed soon
      // after it expires: the same answers as the image's page.
      auto image = db::ImagesRepo(app.db()).find_named(link.key);
      if (!image) throw errors::not_found("no such image");
      if (image->expired) throw errors::expired("this image has expired");
      out.image = std::move(image);
      break;
    }
    case SiteLink::Kind::album_page:
      out.album = albums::find_live(app, link.key);
      out.picture = album_picture(app, *out.album);
      break;
  }
  return out;
}

}  // namespace imghost::previews
