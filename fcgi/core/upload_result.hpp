// What the result page of a form upload shows (handlers/uploaded.cpp): its images that
// are still there, the delete tokens the browser proves, and the album they went into
// with what the browser proves of it.  Whether the page may link that album is
// albums::may_link's.
//
// Everything throws imghost::Error with the API's codes, or db::DbError.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/app.hpp"
#include "domain/album_record.hpp"
#include "domain/image_record.hpp"

namespace imghost {

struct UploadResult {
  std::vector<ImageRecord> images;         // in the order of the ids, those not deleted nor expired
  std::vector<std::string> delete_tokens;  // per image: its delete token when proven, else ""
};

// The images of `ids` (well-formed image ids) as above; `tokens` maps an id to the delete
// token the browser sent for it, which shows only when it is the image's (a stale or
// forged one shows nothing).  Throws expired when none is left and one has expired,
// else not_found when none is left.
UploadResult upload_result(App& app, const std::vector<std::string>& ids,
                           const std::map<std::string, std::string>& tokens);

struct ResultAlbum {
  AlbumRecord album;
  std::string manage_token;  // proven by the browser, else ""
  // The browser proved a token of the album: its manage token, or the delete token of
  // one of its images here (uploading into an album takes its manager).
  bool holds_a_token = false;
};

// The album the result's first image went into, if any.  `album_id` and `manage_token`
// are what the browser's album cookie holds ("" when none): the token counts only when
// it is that album's.
std::optional<ResultAlbum> result_album(App& app, const UploadResult& result, const std::string& album_id,
                                        const std::string& manage_token);

}  // namespace imghost
