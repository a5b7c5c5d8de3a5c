// Storing validated uploads: file and row appear together or not at all.
//
// Order (file first, then row): each file is staged durably in the store, then in
// ONE transaction, per distinct content in SHA-256 order (so two requests never
// deadlock): an advisory lock on the content, the existing blob reused or the staged
// file renamed into place and its blob row inserted; then, for an account's upload, its
// row locked (SELECT ... FOR UPDATE) and the quota checked and charged; then every
// image row; COMMIT.  The account's row is locked after the content locks, as a delete
// does (content lock, then the row), so the two never wait for each other in a circle;
// concurrent uploads of one account queue on its row and can never overshoot its quota.
// A crash before COMMIT can leave only a staged or placed file without a row, which the
// repair check removes; never a row without a file.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/app.hpp"
#include "core/visibility.hpp"
#include "db/images_repo.hpp"
#include "image/inspect.hpp"

namespace imghost {

struct Candidate {
  std::string original_filename;  // already cleaned (text::clean_filename)
  std::string bytes;              // what is stored: the upload, metadata stripped if configured
  image::Inspected inspected;     // it passed image::inspect
};

struct Stored {
  db::ImageRecord record;
  std::string delete_token;  // plain; shown once, only its hash is kept
};

// Who an upload belongs to: nobody (anonymous: only its delete token proves it), or an
// account (the owner in the image object; its quota applies).
struct Uploader {
  std::optional<long long> account_id;
};

// Stores all candidates or none, every image with the same description and visibility,
// owned by `uploader`.  Throws Error quota_exceeded (the account would store more than
// its quota; each image counts its full size, deduplicated or not), unauthorized (the
// account is gone or disabled), db::DbError or std::system_error (the store) with
// nothing left behind but what the repair check cleans.  Schedules the thumbnails of
// new files with app.after_response().
std::vector<Stored> ingest(App& app, const std::vector<Candidate>& files, const std::optional<std::string>& description,
                           Visibility visibility, const Uploader& uploader);

}  // namespace imghost
