// Albums without HTTP: creating one, finding it as a client may see it, and who may
// manage it or upload into it (docs/albums-expiry-design.md).  Uploads into an album go
// through ingest() with a Placement; the album's limits are judged there, under its row
// lock, and early here (check_accepts_uploads) so a refused upload costs no body.
//
// Everything throws imghost::Error with the API's codes, or db::DbError.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/crypto.hpp"
#include "core/app.hpp"
#include "domain/album_record.hpp"
#include "domain/config.hpp"
#include "domain/free_text.hpp"
#include "domain/user_record.hpp"
#include "domain/visibility.hpp"

namespace imghost::albums {

inline constexpr int kMaxItemsLimit = 1000;  // max_items is 1..1000

// What a client asks for, already checked (checked_expires_in, checked_max_items, the
// handlers' text checks).
struct AlbumRequest {
  std::optional<std::string> title;
  std::optional<std::string> description;
  Visibility visibility = Visibility::unlisted;
  std::optional<int> max_items;
  std::optional<long long> expires_in;
};

struct Created {
  AlbumRecord album;
  std::string manage_token;  // plain, shown once; empty for an account's album
};

// Throws unauthorized when `account` (nullptr: anonymous) may not create an album: an
// anonymous caller where anonymous uploads are off.  Judged before the request's body.
void check_may_create(const Config& config, const UserRecord* account);

// An account's album (owner given), or an anonymous one with a new manage token.
// Logs the creation.
Created create(App& app, const AlbumRequest& request, const UserRecord* owner);

// The row create() inserts (a new id; for an anonymous album a new manage token, plain
// here and hashed in the row), for a caller that inserts it inside a transaction of its
// own: the form's upload creates its album together with its images, or neither.
struct Prepared {
  NewAlbum row;
  std::string manage_token;  // plain; empty for an account's album
};
Prepared prepare(const AlbumRequest& request, std::optional<long long> owner_id);

// The album as a client may see it: 404 for a malformed or unknown id and for one being
// deleted, 410 expired once its expires_at has passed.
AlbumRecord find_live(App& app, const std::string& id);

// find_live, then check_manager: the album that `token` or `account` may manage.
// 404 and 410 (what anyone may learn) before 403.
AlbumRecord find_managed(App& app, const std::string& id, const std::string& token, const UserRecord* account);

// The album to delete, as check_manager allows: 404 for a malformed or unknown id and
// for one being deleted (it is gone already), then 403.  An expired album can still be
// deleted by whoever manages it (the cleanup would remove it anyway).
AlbumRecord find_to_remove(App& app, const std::string& id, const std::string& token, const UserRecord* account);

// One page of the public albums that have not expired and are not being deleted, newest
// first: at most `limit`, only those before the keyset position `before` when given.
std::vector<AlbumRecord> list_public(App& app, std::optional<long long> before, int limit);
// An account's albums, public and unlisted, the same filter, order and paging.
std::vector<AlbumRecord> list_owned(App& app, long long owner_id, std::optional<long long> before, int limit);

// What a PATCH asks for, its text already checked (the handler's); each field left
// nullopt stays as it is.
struct AlbumEdit {
  std::optional<std::optional<std::string>> title;        // inner nullopt: no title
  std::optional<std::optional<std::string>> description;  // inner nullopt: none
  bool close = false;                                     // status "closed": no more uploads
  std::optional<std::optional<std::string>> cover;        // an image id of the album; inner nullopt: none
  std::optional<std::vector<std::string>> order;          // every image id of the album, once each
};

// Applies `edit` to an album the caller found (find_live) and may manage (check_manager),
// in one transaction under the album's row lock (the one an upload into it takes), so
// an order is judged against the items as they are and no upload slips in meanwhile.
// The images that count are those that have not expired.  Throws not_found (deleted
// meanwhile), expired (its time passed meanwhile), bad_request (a cover that is not an
// image of this album; an order naming an image not in it, naming one twice or leaving
// one out).  Logs "album <id> edited by <by>." (`by` a username; "album <id> edited."
// for the holder of its manage link) and returns the album as it is now.
AlbumRecord edit(App& app, const AlbumRecord& album, const AlbumEdit& edit, std::string_view by);

// Puts images that already exist into an album the caller found (find_live) and may
// manage (check_manager), after its last item, in one transaction under the album's row
// lock (the one an upload into it takes), so max_items holds as for uploads.  Each image
// must be live, belong to `by` (an admin may add anyone's) and be in no album yet: an
// image is in one album at most.  Throws not_found (the album or an image is gone),
// expired, conflict (closed, or an image already in an album), album_full, forbidden
// (another account's image); nothing is added then.  Logs "album <id>: <n> images added
// by <username>." and returns the album as it is now.
AlbumRecord add_images(App& app, const AlbumRecord& album, const std::vector<std::string>& image_ids,
                       const UserRecord& by);

// Whether `token` (the X-Manage-Token header or the manage_token field; "" when none)
// or `account` may manage the album and upload into it: its owner, an admin, or the
// holder of its manage token.  A token given is judged on its own, as a delete token
// is.  Throws forbidden.
void check_manager(const AlbumRecord& album, const std::string& token, const UserRecord* account);

// The early refusal of an upload, before its body is read: 409 conflict when closed,
// 409 album_full when it holds max_items already.  ingest() judges again under the lock.
void check_accepts_uploads(const AlbumRecord& album);

// expires_in as sent (seconds): kMinExpiresIn to the configured max_expires_in, else
// bad_request naming the bounds.
long long checked_expires_in(const Config& config, long long seconds);
// The same from text (a form field): a non-numeric value is bad_request.
long long checked_expires_in(const Config& config, std::string_view text);
// max_items as sent: 1 to kMaxItemsLimit, else bad_request.
int checked_max_items(long long n);

// Who asks for a page that could link to an album, as far as the page can prove it.
struct Viewer {
  const UserRecord* account = nullptr;  // the session's or API token's account, if any
  // The browser proved a token of the album: its manage token, or the delete token of
  // one of its images (uploading into an album takes its manager), both from the cookies
  // of the result page of the upload (handlers/uploaded.cpp).
  bool holds_a_token = false;
};

// Whether a page may link to the album.  A public album is listed anyway.  An unlisted
// one is reachable only by whoever has its link, so a page links to it only for those
// who manage it: its owner, an admin, or a browser holding one of its tokens.  Never
// judged from the images a page shows: the link of one image (a photo booth's guest's)
// never leads to the other images of an unlisted album, however often its id is given.
// Never to an album that has expired or is being deleted.
bool may_link(const AlbumRecord& album, const Viewer& viewer);

// "expired" when past its time, else the stored status ("open", "closed").
std::string status_of(const AlbumRecord& album);

}  // namespace imghost::albums
