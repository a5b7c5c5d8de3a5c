// What an image's owner sees besides "My images" (account_pages.hpp): the edit form on
// the image's own page, and the page that confirms deleting several images at once,
// naming each of them.  Forms post application/x-www-form-urlencoded with the session's
// CSRF token; all variable text is escaped; every word goes through i18n.
#pragma once

#include <string>
#include <vector>

#include "domain/image_record.hpp"
#include "render/html.hpp"

namespace imghost::pages {

// The owner's section of /i/{id}: description and visibility (POST /i/{id}/edit), and
// the way to delete it (the delete confirmation page).  Already HTML.
std::string owner_image_form(const ImageRecord& r, const std::string& csrf);

// "Delete these 3 images?": each image named with its thumbnail, the ids as hidden
// fields of the form that deletes them (POST /account/images/delete), and a way back.
std::string bulk_delete_confirm(const Site& site, const std::vector<ImageRecord>& images, const std::string& csrf);

// What a bulk delete did: the names of the images that are gone.
std::string bulk_deleted(const Site& site, const std::vector<std::string>& names);

}  // namespace imghost::pages
