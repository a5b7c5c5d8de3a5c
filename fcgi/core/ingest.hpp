// Storing validated uploads: file and row appear together or not at all.
//
// Each file arrives staged on local disk (not yet synced), its SHA-256 and its thumbnail
// known.  Then, in ONE transaction and two round trips to PostgreSQL:
//   1. BEGIN and one statement per image (images_repo.hpp: the content lock, the blob
//      inserted unless the same bytes are stored already, the image row under a file
//      name of its own, even for bytes stored already), sent together;
//      a request of several distinct contents first takes their locks in SHA-256 order,
//      in the same round trip, so two requests never deadlock;
//   2. for an account's upload, its row locked (SELECT ... FOR NO KEY UPDATE: the image
//      rows of step 1 already hold KEY SHARE on it) and the quota checked and charged:
//      after the content locks, as a delete takes them, so the two never wait for each
//      other in a circle; concurrent uploads of one account queue on its row and can never
//      overshoot its quota;
//   3. for an upload into an album, its row locked (FOR NO KEY UPDATE, after the account's
//      row) and the items appended in a second statement that sees the items of the
//      upload before: over max_items the whole upload is refused (db/albums_repo.hpp);
//      an album made for this upload (the form's "make these files an album") is
//      inserted here first, so it exists with its images or not at all;
//   4. for each image, still under the content lock: new bytes have their staged file
//      placed under the image's name (fsync of the file, rename, fsync of its folder);
//      bytes stored already are shared with the file their blob names (Store::share: a
//      hard link on a local disk, and a fsync of its folder); then its thumbnail is
//      written under its name; then COMMIT.
// A crash before COMMIT can leave only a staged or placed file (and thumbnail) without a
// row, which the repair check removes; never a row without a file.  Bytes already stored
// are not written again where the store can share them: their staged file is dropped.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "base/crypto.hpp"
#include "core/app.hpp"
#include "domain/album_record.hpp"
#include "domain/image_format.hpp"
#include "domain/image_record.hpp"
#include "domain/visibility.hpp"
#include "store/store.hpp"

namespace imghost {

struct Candidate {
  std::string original_filename;  // already cleaned (text::clean_filename)
  store::Staged staged;           // what is stored: the upload, metadata stripped if configured
  crypto::Sha256 sha256;          // of the staged bytes
  std::uint64_t size = 0;         // of the staged bytes
  image::Format format = image::Format::jpeg;
  std::uint32_t width = 0;
  std::uint32_t height = 0;
  std::string thumbnail;               // its thumbnail's bytes (image::thumbnail_of); empty if none could be made
  bool thumbnail_is_original = false;  // image::is_own_thumbnail: the store may share the file
  // A video's facts (format mp4 or webm); nullopt for an image.
  std::optional<double> duration;  // seconds
  std::optional<std::string> video_codec;
  std::optional<std::string> audio_codec;
};

struct Stored {
  ImageRecord record;
  std::string delete_token;  // plain; shown once, only its hash is kept
};

// Who an upload belongs to: nobody (anonymous: only its delete token proves it), or an
// account (the owner in the image object; its quota applies).
struct Uploader {
  std::optional<long long> account_id;
  std::optional<std::string> username;  // the account's, for the answer's "owner"
};

// Where the images go besides the store: an album (already found and authorized by the
// caller; its state is judged again under its row lock) or a new album inserted in the
// upload's transaction (albums::prepare), and when they expire.
struct Placement {
  std::optional<long long> album_seq;
  std::optional<NewAlbum> new_album;    // instead of album_seq
  std::optional<long long> expires_in;  // seconds; checked by the caller
};

// Stores all candidates or none, in their order, every image with the same description
// and visibility, owned by `uploader`, placed as `placement` says.  Takes the staged
// files it places.  Throws Error quota_exceeded (the account would store more than its
// quota; each image counts its full size, deduplicated or not), unauthorized (the
// account is gone or disabled), for an album: not_found (gone or being deleted),
// conflict (closed), expired, album_full (it would hold more than max_items),
// db::DbError or std::system_error (the store) with nothing left behind but what the
// repair check cleans.  A thumbnail that cannot be written is logged and made on demand
// later.
std::vector<Stored> ingest(App& app, std::vector<Candidate>& files, const std::optional<std::string>& description,
                           Visibility visibility, const Uploader& uploader, const Placement& placement = {});

}  // namespace imghost
