// Reading images as a client may see them: one by its id, the public catalog, an
// account's own, an album's items, and the album an image is in.  The pages and the API
// page these lists with their own cursors (handlers.hpp: page_request, page_of); each
// list here takes the keyset position to start before or after and how many rows to
// fetch.
//
// Everything throws imghost::Error with the API's codes, or db::DbError.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/app.hpp"
#include "domain/album_record.hpp"
#include "domain/image_record.hpp"

namespace imghost::catalog {

// The image with this id (public or unlisted); throws 404 for a malformed or unknown id,
// 410 expired once its expires_at has passed.
ImageRecord find_live(App& app, const std::string& id);
// The image whose stored file is `name` (its direct link), with find_live's answers.
ImageRecord find_live_named(App& app, const std::string& name);
// The same for the image whose file is any of `names` (one query, and one more for the
// tombstone only when none is live): a variant's URL names the stem, not the extension.
ImageRecord find_live_named_any(App& app, const std::vector<std::string>& names);
// The image with this id as stored, expired or not; nullopt when there is none.
std::optional<ImageRecord> find(App& app, const std::string& id);

// The public images, newest first, before keyset position `before` (nullopt: from the
// newest); at most `limit` rows.  Unlisted ones are never listed.
std::vector<ImageRecord> public_images(App& app, std::optional<long long> before, int limit);
// The account's own images, newest first, as public_images.
std::vector<ImageRecord> owned_images(App& app, long long owner_id, std::optional<long long> before, int limit);
// An album's images in its order, after position `after`; at most `limit` rows.
std::vector<AlbumItem> album_items(App& app, long long album_seq, std::optional<long long> after, int limit);

// The album the image is in, if any.
std::optional<AlbumRecord> album_of_image(App& app, long long image_seq);

}  // namespace imghost::catalog
