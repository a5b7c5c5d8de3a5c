// The albums and album_items tables (sql/006_albums_expiry.sql): an album collects
// images in order; it is open, closed or being deleted, and may expire.
//
// Every method runs one statement on the given connection and throws db::DbError.
// Locking (docs/albums-expiry-design.md): an upload into an album takes, inside its
// transaction and after the content locks and the account's row, the album's row
// FOR NO KEY UPDATE (lock_row), then appends its items in a second statement
// (append_items), whose fresh snapshot sees the items of the upload that held the lock
// before: that is what keeps max_items under concurrent uploads.  An edit (PATCH) takes
// the same row lock and no other, so it never waits in a circle with an upload.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "base/crypto.hpp"
#include "db/images_repo.hpp"
#include "db/pg.hpp"
#include "domain/album_record.hpp"
#include "domain/visibility.hpp"

namespace imghost::db {

// What an upload or an edit needs to know of its album, read under the album's row lock.
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
  AlbumRecord insert(const NewAlbum& a);
  // The album with this id in any state (callers decide what "deleting" and expired
  // answer), or nullopt.
  std::optional<AlbumRecord> find(const std::string& id);

  // The album an image was uploaded into (an image enters one album at most), in any
  // state, or nullopt.
  std::optional<AlbumRecord> album_of_image(long long image_seq);

  // One page of the public albums that have not expired and are not being deleted,
  // newest first; only albums with seq < before when given (keyset paging on seq).
  std::vector<AlbumRecord> list_public(std::optional<long long> before, int limit);
  // An account's albums, public and unlisted, the same filter, order and paging.
  std::vector<AlbumRecord> list_owned(long long owner_id, std::optional<long long> before, int limit);

  // Inside the transaction of an upload into the album or of an edit: locks the album's
  // row FOR NO KEY UPDATE until COMMIT; nullopt when it is gone.
  std::optional<AlbumGate> lock_row(long long album_seq);
  // Inside the upload's transaction, after lock_row: appends the images (by seq, in
  // this order) after the album's last item and lowers each one's expires_at to the
  // album's when the album expires sooner.
  struct Appended {
    long long item_count = 0;  // the album's, now
    // When the album expires: (image seq, its expires_at now, ISO 8601) for each image
    // appended, so the upload's answer shows what the row holds.  Empty otherwise.
    std::vector<std::pair<long long, std::string>> expires_at;
  };
  Appended append_items(long long album_seq, const std::vector<long long>& image_seqs);

  // The edit of an album (PATCH), inside its transaction, after lock_row.  Its images
  // that have not expired, in order: (image seq, image id).
  std::vector<std::pair<long long, std::string>> live_items(long long album_seq);
  // Rewrites every position of the album in ONE statement (the unique constraint on
  // positions is checked at its end, so images may swap places): `image_seqs` get 1..n
  // in this order, the album's other items (expired, left to the cleanup) follow in
  // their old order.
  void reorder(long long album_seq, const std::vector<long long>& image_seqs);
  // What an edit changes; each field left nullopt stays as it is.
  struct Changes {
    std::optional<std::optional<std::string>> title;        // inner nullopt: no title
    std::optional<std::optional<std::string>> description;  // inner nullopt: none
    bool close = false;                                     // status 'closed'
    std::optional<std::optional<long long>> cover_seq;      // inner nullopt: no cover
  };
  void update(long long album_seq, const Changes& changes);

  // The removal of albums (core/album_removal.hpp, core/cleanup.hpp).  Albums that are expired or being deleted,
  // at most `limit`.
  struct Doomed {
    long long seq = 0;
    std::string id;
    // Being deleted and not expired: its removal was begun by a DELETE (which a dead
    // worker left unfinished), not by its expiry, so its images are "deleted".
    bool deleted = false;
  };
  std::vector<Doomed> albums_to_remove(int limit);
  // Sets status 'deleting' (waits for the uploads that hold its row); false when gone.
  bool mark_deleting(long long album_seq);
  // At most `limit` images of the album that are in no other album.
  std::vector<ImagesRepo::Doomed> images_only_here(long long album_seq, int limit);
  // Deletes the album row (its items go with it); false when already gone.
  bool delete_album(long long album_seq);

  // The removal of albums left empty (core/cleanup.hpp), two statements inside one
  // transaction.  First: locks FOR UPDATE, SKIP LOCKED, at most `limit` anonymous albums created
  // more than `ttl_seconds` ago that hold no item and are neither expired nor being
  // deleted (those are albums_to_remove's).  An album an upload or an edit holds
  // (lock_row), or whose new items hold it through their foreign key, is skipped: the
  // next run sees it again.  Their seqs.
  std::vector<long long> lock_empty(long long ttl_seconds, int limit);
  // Second, a statement of its own so that its snapshot, taken under the locks, sees
  // every item committed before them: deletes those of `album_seqs` that still hold no
  // item; their ids.
  std::vector<std::string> delete_if_empty(const std::vector<long long>& album_seqs);

 private:
  Connection& c_;
};

}  // namespace imghost::db
