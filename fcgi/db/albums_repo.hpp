// The albums and album_items tables (sql/006_albums_expiry.sql): an album collects
// images in order; it is open, closed or being deleted, and may expire.
//
// Every method runs one statement on the given connection and throws db::DbError.
// Locking (docs/albums-expiry-design.md): an upload into an album takes, inside its
// transaction and after the content locks and the account's row, the album's row
// FOR NO KEY UPDATE (lock_for_upload), then appends its items in a second statement
// (append_items), whose fresh snapshot sees the items of the upload that held the lock
// before: that is what keeps max_items under concurrent uploads.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "base/crypto.hpp"
#include "core/visibility.hpp"
#include "db/pg.hpp"

namespace imghost::db {

struct AlbumRow {
  long long seq = 0;
  std::string id;
  std::optional<std::string> title;
  std::optional<std::string> description;
  Visibility visibility = Visibility::unlisted;
  std::optional<long long> owner_id;
  std::optional<std::string> owner;  // the owner's username
  std::string manage_token_hash;     // raw 32 bytes; empty for an account's album
  std::string status;                // "open", "closed", "deleting" (never stored: "expired")
  bool expired = false;              // expires_at <= now(), by the database's clock
  std::optional<int> max_items;
  long long item_count = 0;
  std::optional<std::string> cover_id;    // the cover image's id
  std::optional<std::string> expires_at;  // ISO 8601, UTC, "Z"
  std::string created_at;                 // ISO 8601, UTC, "Z"
};

struct NewAlbum {
  std::string id;
  std::optional<std::string> title;
  std::optional<std::string> description;
  Visibility visibility = Visibility::unlisted;
  std::optional<long long> owner_id;
  std::optional<crypto::Sha256> manage_token_hash;  // anonymous albums
  std::optional<int> max_items;
  std::optional<long long> expires_in;  // seconds from now; nullopt: never
};

// What an upload needs to know of its album, read under the album's row lock.
struct AlbumGate {
  long long seq = 0;
  std::string status;  // "open", "closed", "deleting"
  bool expired = false;
  std::optional<int> max_items;
};

class AlbumsRepo {
 public:
  explicit AlbumsRepo(Connection& c) : c_(c) {}

  // Inserts and returns the full row.
  AlbumRow insert(const NewAlbum& a);
  // The album with this id in any state (callers decide what "deleting" and expired
  // answer), or nullopt.
  std::optional<AlbumRow> find(const std::string& id);

  // The album an image was uploaded into (an image enters one album at most), in any
  // state, or nullopt.
  std::optional<AlbumRow> album_of_image(long long image_seq);

  // Inside the upload's transaction: locks the album's row FOR NO KEY UPDATE until
  // COMMIT; nullopt when it is gone.
  std::optional<AlbumGate> lock_for_upload(long long album_seq);
  // Inside the same transaction, after lock_for_upload: appends the images (by seq, in
  // this order) after the album's last item, lowers each one's expires_at to the
  // album's when the album expires sooner, and returns the album's item count now.
  long long append_items(long long album_seq, const std::vector<long long>& image_seqs);

  // The removal of albums (core/expiry.hpp).  Albums that are expired or being deleted,
  // at most `limit`: (seq, id).
  std::vector<std::pair<long long, std::string>> albums_to_remove(int limit);
  // Sets status 'deleting' (waits for the uploads that hold its row); false when gone.
  bool mark_deleting(long long album_seq);
  // At most `limit` images of the album that are in no other album: (id, sha256, file name).
  struct Member {
    std::string id;
    crypto::Sha256 sha256;
    std::string name;
  };
  std::vector<Member> images_only_here(long long album_seq, int limit);
  // Deletes the album row (its items go with it); false when already gone.
  bool delete_album(long long album_seq);

 private:
  Connection& c_;
};

}  // namespace imghost::db
