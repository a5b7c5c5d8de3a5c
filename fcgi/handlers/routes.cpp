#include "handlers/routes.hpp"

#include "handlers/handlers.hpp"
#include "metrics/metrics.hpp"

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
    {"GET", "/a/{id}", album_page, 0, "an album's page: its images in order with their codes"},
    {"GET", "/images/", catalog_page, 0, "catalog page (public images)"},
    {"GET", "/mine", my_uploads, 0, "the uploads this browser remembers"},
    {"GET", "/images/thumbs/{name}", missing_thumbnail, kFallback, "a thumbnail not on disk yet, made now"},
    {"GET", "/v/{preset}/{file}", missing_variant, kFallback, "a variant not on disk yet, made now"},
    {"GET", "/delete/{id}", delete_confirm_page, 0, "delete confirmation page"},
    {"POST", "/delete/{id}", delete_from_page, 0, "delete from the confirmation page"},
    {"DELETE", "/delete/{id}", delete_by_link, 0, "delete with the link's token (ShareX), or as owner"},
    {"GET", "/signup", signup_page, 0, "signup form"},
    {"POST", "/signup", signup_from_form, 0, "create an account from the form: 303 to /account"},
    {"GET", "/login", login_page, 0, "login form"},
    {"POST", "/login", login_from_form, 0, "log in from the form: 303 to /account"},
    {"POST", "/logout", logout, 0, "end the session: 303 to /"},
    {"GET", "/account", my_images_page, 0, "my images, quota"},
    {"GET", "/account/tokens", tokens_page, 0, "my API tokens"},
    {"POST", "/account/tokens", create_token_from_form, 0, "create an API token (shown once, with a ShareX file)"},
    {"POST", "/account/tokens/{id}/revoke", revoke_token_page, 0, "revoke an API token from the form"},
    {"GET", "/api/v1/images", list_images, kSlashTwin, "one page of the catalog"},
    {"POST", "/api/v1/images", upload_api, kUploadBody | kSlashTwin, "upload"},
    {"GET", "/api/v1/images/{id}", get_image, 0, "one image's metadata"},
    {"DELETE", "/api/v1/images/{id}", delete_image_api, 0, "delete with X-Delete-Token, or as owner or admin"},
    {"PATCH", "/api/v1/images/{id}", patch_image, 0, "owner or admin: change the description or visibility"},
    {"GET", "/api/v1/images/{id}/file", get_image_file, 0, "the file, sent by nginx"},
    {"GET", "/api/v1/health", health, 0, "PostgreSQL and the store answer"},
    {"POST", "/api/v1/users", create_user, 0, "create an account (signup)"},
    {"POST", "/api/v1/tokens", create_token, 0, "create an API token (session, token, or username and password)"},
    {"GET", "/api/v1/tokens", list_tokens, 0, "the account's API tokens (never a secret)"},
    {"DELETE", "/api/v1/tokens/{id}", revoke_token, 0, "revoke an API token"},
    {"GET", "/api/v1/me", me, 0, "the account: username, bytes used, quota"},
    {"GET", "/api/v1/me/images", my_images, 0, "the account's images, newest first"},
    {"GET", "/api/v1/sharex", sharex, 0, "a ShareX uploader file for the Bearer token"},
    {"POST", "/api/v1/albums", create_album, 0, "create an album (anonymous ones get a manage token)"},
    {"GET", "/api/v1/albums", list_albums, 0, "public albums, newest first (?mine=1: the account's own)"},
    {"GET", "/api/v1/albums/{id}", get_album, 0, "one album (410 once expired)"},
    {"GET", "/api/v1/albums/{id}/images", list_album_images, 0, "an album's images in order"},
    {"PATCH", "/api/v1/albums/{id}", patch_album, 0, "owner or token: title, description, close, cover, order"},
    {"DELETE", "/api/v1/albums/{id}", delete_album, 0, "delete an album and the images only in it (owner or token)"},
    {"POST", "/api/v1/albums/{id}/images", upload_into_album, kUploadBody, "upload into an album"},
    {"GET", "/api/oembed", oembed, 0, "oEmbed 1.0 for a link to an image or album (link previews)"},
    {"GET", "/metrics", metrics, kPrivate, "Prometheus metrics (private listener only)"},
    {"GET", "/_error/{status}", nginx_error, kInternal, "nginx's own 413 and 404 as the site's pages"},
};
static_assert(std::size(kRoutes) < metrics::kMaxRoutes, "metrics count requests by row, kMaxRoutes - 1 is \"none\"");

}  // namespace

std::span<const Route> routes() { return kRoutes; }

}  // namespace imghost::handlers
