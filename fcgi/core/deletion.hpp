// Deleting an image by id and delete token, shared by the API and the browser flow.
//
// Order (the reverse of an upload's): rows first, then the file.  Under a session-level advisory
// lock on the content, so an upload of the same bytes cannot re-use the blob between
// "no one refers to it" and the unlink: the image row is deleted, then the blob row if
// it was the last reference, COMMIT, then the file and its thumbnail are unlinked.  A
// crash after COMMIT leaves only a file without a row, which the repair check removes.
#pragma once

#include <string>

#include "core/app.hpp"
#include "db/images_repo.hpp"

namespace imghost {

struct Deleted {
  db::ImageRecord record;  // the image as it was
  // Whether its file went too.  false: another upload of the same bytes still refers to
  // the file, so /images/<name> keeps answering for that upload.
  bool file_removed = false;
};

// Throws Error 404 (no such image) or 403 (wrong or missing token).  Logs the deletion.
Deleted delete_image(App& app, const std::string& id, const std::string& token);

// 404 unless an image with this id exists and `token` is its delete token; returns it.
db::ImageRecord check_delete_token(App& app, const std::string& id, const std::string& token);

}  // namespace imghost
