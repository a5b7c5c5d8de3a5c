// Storing a thumbnail so that it can never outlive its image, and making one that is
// missing (GET of a thumbnail nginx found no file for).
//
// Thumbnails are written after the upload answered (background) or on demand, so a
// delete of the same file can run at any moment around the write.  A delete removes
// files only after its COMMIT; so writing first and then checking that the image row
// naming the file still exists closes the race: either the check sees the row gone (and the thumbnail is
// removed here), or the delete's unlink runs after the thumbnail is in place.
#pragma once

#include <string>
#include <string_view>

#include "core/app.hpp"

namespace imghost {

// Writes the thumbnail of stored file `name` crash-safely, then removes it again if no
// image row names the file any more.  Returns false in that case.  Throws std::system_error (store)
// or db::DbError.
bool save_thumbnail(App& app, const std::string& name, std::string_view bytes);

// The thumbnail of stored file `name` when nginx found none on disk (the upload answered
// before its background thumbnail was written, or a crash lost it): made now from the
// original and saved as above for next time.  Throws not_found (a malformed name, no
// such file, a file that makes no thumbnail, its image deleted meanwhile), unavailable
// (the server ran short of memory, map or disk for it).
std::string make_missing_thumbnail(App& app, const std::string& name);

}  // namespace imghost
