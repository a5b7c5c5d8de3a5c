// Removing an album: its row and the images that are in no other album, each through
// core/image_removal.hpp (rows, then the file, through the `removals` queue).  DELETE of
// an album does it at once; the cleanup (core/cleanup.hpp) does it for the albums that
// expired and finishes a DELETE a dead worker left half done (docs/albums-expiry-design.md).
//
// The album is marked deleting first (after the uploads into it that hold its row), so a
// run killed at any point leaves an album the next cleanup finishes.  Throws db::DbError
// when the database goes away; a store failure leaves the name queued (logged) and the
// removal goes on.
#pragma once

#include <string>

#include "core/app.hpp"
#include "core/removal_report.hpp"
#include "domain/log.hpp"
#include "store/store.hpp"

namespace imghost::album_removal {

// Removes one album now (DELETE of an album): marks it deleting, removes its images that
// are in no other album, then its row.  Logs "image <name> deleted." per image and
// `album_line` for the album.
RemovalReport remove_album(App& app, long long album_seq, const i18n::Message& album_line);

// The log line of an album deleted by `by` (a username; "" for the holder of its
// manage link): "album <id> deleted by <by>." or "album <id> deleted."
i18n::Message deleted_line(const std::string& id, std::string_view by);

// The same for the cleanup, its lines saying `cause` for each image and `album_line` for
// the album; counted in `report`.  Nothing when another run has marked it first.
void tear_down(db::Connection& conn, const store::Store& store, AppLog& log, long long album_seq, RemovalCause cause,
               const i18n::Message& album_line, RemovalReport& report);

}  // namespace imghost::album_removal
