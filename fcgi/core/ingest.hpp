// Storing validated uploads: file and row appear together or not at all.
//
// Order (file first, then row): each file is staged durably in the store, then in
// ONE transaction, per distinct content in SHA-256 order (so two requests never
// deadlock): an advisory lock on the content, the existing blob reused or the staged
// file renamed into place and its blob row inserted, then every image row; COMMIT.
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

// Stores all candidates or none, every image with the same description and visibility.  Throws db::DbError or
// std::system_error (the store) with nothing left behind but what the repair check cleans.  Schedules the thumbnails of
// new files with app.after_response().
std::vector<Stored> ingest(App& app, const std::vector<Candidate>& files, const std::optional<std::string>& description,
                           Visibility visibility);

}  // namespace imghost
