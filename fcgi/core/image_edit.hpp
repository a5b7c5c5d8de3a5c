// Editing an image's description and visibility (PATCH /api/v1/images/{id}): who may is
// core/image_removal.hpp's check_authority, judged by the caller before the body.
#pragma once

#include <optional>
#include <string>

#include "core/app.hpp"
#include "domain/image_record.hpp"
#include "domain/user_record.hpp"
#include "domain/visibility.hpp"

namespace imghost {

// What a PATCH asks for, already checked; each field left nullopt stays as it is.
struct ImageEdit {
  std::optional<std::optional<std::string>> description;  // inner nullopt: none
  std::optional<Visibility> visibility;
};

// Applies every change in one statement, so an edit is applied whole or not at all.
// Throws not_found when the image is gone.  Logs "image <name> edited by <username>."
// and returns the image as it is now.
ImageRecord edit_image(App& app, const std::string& id, const ImageEdit& edit, const UserRecord& by);

}  // namespace imghost
