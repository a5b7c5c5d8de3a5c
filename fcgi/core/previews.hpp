// What a link preview shows (OpenGraph and Twitter tags on the pages, GET /api/oembed):
// the image or album a link names, and the picture that stands for an album.  Only what
// a client may see: the lookups are find_live's, so an expired item answers 410 and a
// deleted or unknown one 404, and neither ever gets a preview.
//
// Everything throws imghost::Error with the API's codes, or db::DbError.
#pragma once

#include <optional>

#include "core/app.hpp"
#include "domain/album_record.hpp"
#include "domain/image_record.hpp"
#include "domain/site_link.hpp"

namespace imghost::previews {

// The picture of an album's preview: its cover while that is a live image of the album,
// else its first image that has not expired; nullopt for an album without one.
std::optional<ImageRecord> album_picture(App& app, const AlbumRecord& album);

// What a link names: an image (its page or its file) or an album with its picture.
struct Linked {
  std::optional<ImageRecord> image;
  std::optional<AlbumRecord> album;
  std::optional<ImageRecord> picture;  // the album's (album_picture)
};
// Throws not_found for an unknown image, file or album (and one being deleted), expired
// (410) for one past its time.
Linked find(App& app, const SiteLink& link);

}  // namespace imghost::previews
