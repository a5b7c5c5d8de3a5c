// Storing validated uploads: file and row appear together or not at all.
//
// Each file arrives staged on local disk (not yet synced), its SHA-256 and its thumbnail
// known.  Then, in ONE transaction and two round trips to PostgreSQL:
//   1. BEGIN and one statement per image (images_repo.hpp: the content lock, the blob
//      inserted unless the same bytes are stored already, the image row), sent together;
//      a request of several distinct contents first takes their locks in SHA-256 order,
//      in the same round trip, so two requests never deadlock;
//   2. for each new blob, its staged file is placed (fsync of the file, rename, fsync of
//      its folder) and its thumbnail written, still under the content lock; then COMMIT.
// A crash before COMMIT can leave only a staged or placed file (and thumbnail) without a
// row, which the repair check removes; never a row without a file.  Bytes already stored
// are not placed again: their staged file is dropped.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "base/crypto.hpp"
#include "core/app.hpp"
#include "core/visibility.hpp"
#include "db/images_repo.hpp"
#include "image/format.hpp"
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
};

struct Stored {
  db::ImageRecord record;
  std::string delete_token;  // plain; shown once, only its hash is kept
};

// Stores all candidates or none, in their order, every image with the same description
// and visibility.  Takes the staged files it places.  Throws db::DbError or
// std::system_error (the store) with nothing left behind but what the repair check
// cleans.  A thumbnail that cannot be written is logged and made on demand later.
std::vector<Stored> ingest(App& app, std::vector<Candidate>& files, const std::optional<std::string>& description,
                           Visibility visibility);

}  // namespace imghost
