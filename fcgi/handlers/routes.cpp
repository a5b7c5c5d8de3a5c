#include "handlers/routes.hpp"

#include "handlers/handlers.hpp"

namespace imghost::handlers {

const std::string& Params::operator[](std::string_view name) const {
  static const std::string kNone;
  for (const auto& [n, v] : values_)
    if (n == name) return v;
  return kNone;
}

namespace {

// Page routes first, then the API, in the order of the contract's route table.
const Route kRoutes[] = {
    {"GET", "/", home, 0, "home page"},
    {"GET", "/upload", upload_form, 0, "upload form"},
    {"POST", "/upload", upload_from_form, kUploadBody,
     "upload from the form: 303 to /uploaded/{ids} (JSON: as the API)"},
    {"GET", "/uploaded/{ids}", uploaded_page, 0, "result page of a form upload (delete links for the uploader)"},
    {"GET", "/i/{id}", image_page, 0, "an image's own page with its codes"},
    {"GET", "/images/", catalog_page, 0, "catalog page (public images)"},
    {"GET", "/mine", my_uploads, 0, "the uploads this browser remembers"},
    {"GET", "/images/thumbs/{name}", missing_thumbnail, kFallback, "a thumbnail not on disk yet, made now"},
    {"GET", "/delete/{id}", delete_page, 0, "delete confirmation page"},
    {"POST", "/delete/{id}", delete_page, 0, "delete from the confirmation page"},
    {"GET", "/api/v1/images", list_images, kSlashTwin, "one page of the catalog"},
    {"POST", "/api/v1/images", upload_api, kUploadBody | kSlashTwin, "upload"},
    {"GET", "/api/v1/images/{id}", get_image, 0, "one image's metadata"},
    {"DELETE", "/api/v1/images/{id}", delete_image_api, 0, "delete with X-Delete-Token"},
    {"GET", "/api/v1/images/{id}/file", get_image_file, 0, "the file, sent by nginx"},
    {"GET", "/api/v1/health", health, 0, "PostgreSQL and the store answer"},
    {"GET", "/_error/{status}", nginx_error, kInternal, "nginx's own 413 and 404 as the site's pages"},
};

}  // namespace

std::span<const Route> routes() { return kRoutes; }

}  // namespace imghost::handlers
