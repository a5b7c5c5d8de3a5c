// The images and blobs tables (sql/001_init.sql, sql/008_own_names.sql).  An image is one
// upload: its own id, description, delete token and file name.  A blob is one content,
// keyed by the SHA-256 of its bytes, stored once: its name is the file of one of its
// images, the one a new upload of the same bytes is linked from (store::Store::share).
//
// Every method runs one statement on the given connection and throws db::DbError.
// Locking: callers that create or remove blobs first take the content lock (locks.hpp),
// so "is this blob still referenced?" and the file in the store never race.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "base/crypto.hpp"
#include "db/pg.hpp"
#include "domain/album_record.hpp"
#include "domain/image_record.hpp"
#include "domain/visibility.hpp"

namespace imghost::db {

struct NewBlob {
  crypto::Sha256 sha256;
  std::string name;
  long long size;
  std::string format;
  int width;
  int height;
  // A video's facts (kept on the image row, sql/012): duration nullopt for an image.
  std::optional<double> duration;
  std::optional<std::string> video_codec;
  std::optional<std::string> audio_codec;
};

struct NewImage {
  std::string id;
  std::string name;  // its own file name
  crypto::Sha256 sha256;
  std::string original_filename;
  std::optional<std::string> description;
  crypto::Sha256 delete_token_hash;
  Visibility visibility;
  std::optional<long long> owner_id;
  std::optional<long long> expires_in;  // seconds from now; nullopt: never
};

// What the upload statement returns for one image.
struct Uploaded {
  long long seq = 0;
  std::string blob_name;                  // the new blob's name, or the existing one of the same bytes:
                                          // the file the image's own name is to share
  std::string created_at;                 // ISO 8601, UTC, "Z"
  std::optional<std::string> expires_at;  // ISO 8601, UTC, "Z"; nullopt: never
};

class ImagesRepo {
 public:
  explicit ImagesRepo(Connection& c) : c_(c) {}

  // One statement for one uploaded image, for Connection::begin_and_run: takes the
  // content lock of its bytes (db/locks.hpp, held to COMMIT), inserts its blob unless
  // one of these bytes exists (then that one is used: its name comes back instead of
  // `b.name`), and inserts the image row under its own name `img.name`.  Where another upload of the same bytes
  // committed while this one waited for the lock, its row is found all the same (the
  // conflict is resolved on the latest committed row, not on the statement's snapshot).
  static Statement upload_statement(const NewBlob& b, const NewImage& img);
  static Uploaded uploaded(const Result& r);

  std::optional<std::string> blob_name(const crypto::Sha256& sha);

  std::optional<ImageRecord> find(const std::string& id);
  // The image whose file is `name` (the newest, should rows written before sql/008 share it).
  std::optional<ImageRecord> find_named(const std::string& name);
  // The image whose file is any of `names` (the newest), in one query.
  std::optional<ImageRecord> find_named_any(const std::vector<std::string>& names);
  // The public images, newest first; only rows with seq < before when given.  Unlisted
  // images are never in a list.
  std::vector<ImageRecord> list_public(std::optional<long long> before, int limit);
  // An account's images, public and unlisted, newest first, the same keyset paging.
  std::vector<ImageRecord> list_owned(long long owner_id, std::optional<long long> before, int limit);
  // An album's images that have not expired, in the album's order, public and unlisted
  // alike (the album's link shows them all); only items after position `after` when
  // given (keyset paging on the position).
  std::vector<AlbumItem> list_album_items(long long album_seq, std::optional<long long> after, int limit);
  // What an edit changes; each field left nullopt stays as it is.
  struct Changes {
    std::optional<std::optional<std::string>> description;  // inner nullopt: none
    std::optional<Visibility> visibility;
  };
  // Applies every change in one statement, so an edit is applied whole or not at all;
  // false when the image is gone.
  bool update(const std::string& id, const Changes& changes);

  struct DeleteTarget {
    crypto::Sha256 sha256;
    std::string delete_token_hash;  // raw 32 bytes
    std::optional<long long> owner_id;
  };
  std::optional<DeleteTarget> delete_target(const std::string& id);
  // Deletes the image row and takes its size off its owner's used bytes; returns its
  // file name, nullopt if it was already gone.  Call inside a transaction.
  std::optional<std::string> delete_image(const std::string& id);
  // After images of content `sha` named `name` were deleted, under the content lock: the
  // blob goes when no image of it is left, and otherwise, if it named `name`, it names
  // another of its images' files from now on (new uploads link from that one).
  void release_content(const crypto::Sha256& sha, const std::string& name);
  // Whether an image row names this file (the thumbnail writer, a delete of a name that
  // rows written before sql/008 still share, the repair check ask).
  bool image_named(const std::string& name);

  // An image to remove (the cleanup, an album's removal).
  struct Doomed {
    std::string id;
    crypto::Sha256 sha256;
    std::string name;  // its file name, for the log
    // Reads the columns (id, sha256, name), in this order, of a result's row.
    static Doomed at(const Result& r, int row);
  };
  // Images past their expires_at, soonest first, at most `limit` (the cleanup).
  std::vector<Doomed> expired_images(int limit);
  // The queue of files whose image row is gone (sql/006 `removals`): queued in the
  // transaction that deletes the row, dequeued once the files are removed.
  void queue_removal(const std::string& name);
  void dequeue_removal(const std::string& name);
  std::vector<std::string> queued_removals();

  // Every file an image row names, once, with its content, ordered by name (the repair
  // check, migrate-store).
  struct FileRow {
    crypto::Sha256 sha256;
    std::string name;
  };
  std::vector<FileRow> all_files();
  // Deletes every image row named `name` (one, or several written before sql/008) and
  // releases their content (release_content); returns the ids deleted (their owners'
  // used bytes go down by their size).  Call inside a transaction, under the content lock.
  std::vector<std::string> delete_images_named(const crypto::Sha256& sha, const std::string& name);

  // Images that shared their file name with an older image when sql/008 ran (its list
  // `images_without_own_name`) and have not been renamed since, oldest first from seq
  // `after` on (exclusive), at most `limit` (admin/own_names.hpp).
  struct SharedName {
    long long seq = 0;
    crypto::Sha256 sha256;
    std::string name;
  };
  std::vector<SharedName> images_sharing_a_name(long long after, int limit);

  // The admin area (core/admin_*.hpp).  Every image, public and unlisted, newest first
  // (the dashboard's recent uploads).
  std::vector<ImageRecord> newest(int limit);
  // Images whose id is `text`, whose bytes are `sha256`, whose owner is named `text`
  // (case-insensitively), or whose file name as uploaded contains `text`; newest first.
  std::vector<ImageRecord> search(const std::string& text, const std::optional<crypto::Sha256>& sha256, int limit);
  // An account's images, expired ones too, at most `limit` (removing all its uploads),
  // and how many it has.
  std::vector<Doomed> owned(long long owner_id, int limit);
  long long count_owned(long long owner_id);
  // Gives image `seq` the file name `to` if it is still named `from`, and takes it off
  // the list of sql/008; false when it was not named `from`.
  bool rename_file(long long seq, const std::string& from, const std::string& to);

 private:
  Connection& c_;
};

inline std::string bytea_param(const crypto::Sha256& d) {
  return bytea_param(std::string_view(reinterpret_cast<const char*>(d.data()), d.size()));
}
}  // namespace imghost::db
