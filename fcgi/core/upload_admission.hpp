// Who may upload, and into which album: the policy of POST /upload, POST /api/v1/images
// and POST /api/v1/albums/{id}/images (docs/albums-expiry-design.md).
//
// The album an upload goes into is judged before the body is read (a refused upload
// costs no body) when the path names it, and after it for the form field `album`.  An
// account's album, or a manage token in the header, is checked at once; an anonymous
// album whose token can only be in the body (field manage_token) is checked after it.
// ingest() judges the album's state again under its row lock.
//
// Everything throws imghost::Error with the API's codes, or db::DbError.
#pragma once

#include <optional>
#include <string>

#include "core/app.hpp"
#include "core/ingest.hpp"
#include "domain/album_record.hpp"
#include "domain/user_record.hpp"
#include "domain/visibility.hpp"

namespace imghost {

// Before the body: unauthorized when there is no `account` and the site takes no
// anonymous uploads; then the album the path names (`album_id`, "" when none): 404 or
// 410 as albums::find_live, 403 unless its manager when it is an account's album or
// `header_token` (X-Manage-Token, "" when none) is given, 409 when it takes no uploads.
// Returns that album, if any.
std::optional<AlbumRecord> admit_upload(App& app, const UserRecord* account, const std::string& album_id,
                                        const std::string& header_token);

// What the body asks about where its files go, its fields as sent.
struct PlacementRequest {
  std::optional<AlbumRecord> album;       // admit_upload's, when the path named one
  std::optional<std::string> expires_in;  // seconds as text; nullopt: never
  // The form's "make these files an album" (its page answer only), with its title.
  bool new_album = false;
  std::optional<std::string> album_title;
  std::string album_field;                       // the field `album`; "" when none
  std::string header_token;                      // X-Manage-Token; "" when none
  std::string field_token;                       // the field manage_token; "" when none
  Visibility visibility = Visibility::unlisted;  // the upload's, a new album's too
};

// The album a form upload made (its "make these files an album"), and its manage token
// ("" for an account's album).
struct MadeAlbum {
  std::string id;
  std::string manage_token;
};

struct Destination {
  Placement placement;
  std::optional<MadeAlbum> made;  // when the upload makes its album
};

// After the body: the expiry (bad_request out of bounds); a new album, made in the
// upload's transaction with the upload's visibility and expiry so that a refused upload
// leaves no album behind (bad_request with an album besides, or a bad title); or the
// album of the field `album` (as admit_upload, the manage token from the header, else
// the field), or the manager of the path's anonymous album proven by the field when
// the header gave no token.
Destination place_upload(App& app, const UserRecord* account, PlacementRequest request);

}  // namespace imghost
