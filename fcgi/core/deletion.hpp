// Deleting an image by id and delete token, shared by the API and the browser flow.
//
// The removal itself (rows, then the file, crash-safe through the `removals` queue) is
// core/removal.hpp's, the one the expiry cleanup uses too; this adds who may delete.
#pragma once

#include <string>

#include "core/app.hpp"
#include "db/images_repo.hpp"
#include "db/users_repo.hpp"

namespace imghost {

// Who may delete (and edit) an image: whoever holds its delete token, its owner, and
// an admin.  `token` empty: no delete token given; `account` nullptr: anonymous.
struct Authority {
  std::string token;
  const UserRecord* account = nullptr;
};

struct Deleted {
  ImageRecord record;  // the image as it was; its links answer 404 from now on
};

// Throws Error 404 (no such image) or 403 (a wrong delete token, none and not the
// owner or an admin).  Logs the deletion.
Deleted delete_image(App& app, const std::string& id, const Authority& who);

// 404 unless an image with this id exists, 403 unless `who` may delete it; returns it.
ImageRecord check_authority(App& app, const std::string& id, const Authority& who);

}  // namespace imghost
