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
    {"GET", "/account/tokens/{id}/revoke", revoke_token_confirm_page, 0, "confirm revoking an API token"},
    {"POST", "/account/tokens/{id}/revoke", revoke_token_page, 0, "revoke an API token from the form"},
    {"POST", "/account/tokens/sharex", sharex_from_form, 0, "download imghost.sxcu for the new token (a file)"},
    {"POST", "/account/images", bulk_images_from_form, 0,
     "act on the selected images: delete (confirmation page), public, unlisted, add to an album"},
    {"POST", "/account/images/delete", bulk_delete_from_form, 0, "delete the selected images (confirmed)"},
    {"POST", "/i/{id}/edit", edit_image_from_form, 0, "owner: description and visibility from the image's page"},
    {"GET", "/account/albums", my_albums_page, 0, "my albums, and the form that creates one"},
    {"POST", "/account/albums", create_album_from_form, 0, "create an album from the form: 303 to its manage page"},
    {"GET", "/a/{id}/manage", album_manage_page, 0, "an album's manage page (owner's session or ?token=)"},
    {"POST", "/a/{id}/manage/edit", album_edit_from_form, 0, "rename an album, change its description"},
    {"POST", "/a/{id}/manage/close", album_close_from_form, 0, "close an album: no more uploads"},
    {"POST", "/a/{id}/manage/move", album_move_from_form, 0, "move an image of an album up or down"},
    {"POST", "/a/{id}/manage/cover", album_cover_from_form, 0, "choose an album's cover"},
    {"POST", "/a/{id}/manage/order", album_order_from_form, 0, "an album's whole order (the page's drag and drop)"},
    {"GET", "/a/{id}/delete", album_delete_confirm_page, 0, "confirm deleting an album"},
    {"POST", "/a/{id}/delete", album_delete_from_form, 0, "delete an album and its images from the form"},
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
    {"OPTIONS", "/api/v1/uploads", tus_options, 0, "resumable uploads (tus 1.0.0): versions, extensions, limits"},
    {"POST", "/api/v1/uploads", tus_create, 0, "create a resumable upload: Upload-Length, Upload-Metadata"},
    {"GET", "/api/v1/uploads/{id}", tus_status, 0, "HEAD: Upload-Offset; GET: the image once complete"},
    {"PATCH", "/api/v1/uploads/{id}", tus_append, kUploadBody, "append at Upload-Offset; the last byte stores it"},
    {"DELETE", "/api/v1/uploads/{id}", tus_abandon, 0, "abandon a resumable upload"},
    {"GET", "/report/{id}", report_page, 0, "the report form of an image or album"},
    {"POST", "/report/{id}", report_from_form, 0, "file a report from the form (rate-limited by nginx)"},
    {"POST", "/api/v1/reports", create_report, 0, "report an image or album (anyone; rate-limited by nginx)"},
    {"GET", "/api/v1/admin/reports", admin_reports, 0, "admin: open reports, newest first"},
    {"POST", "/api/v1/admin/takedowns", admin_takedown, 0, "admin: take down an image or album (451 from then on)"},
    {"POST", "/api/v1/admin/blocks", admin_block, 0, "admin: ban content (SHA-256 and perceptual hash)"},
    {"DELETE", "/api/v1/admin/blocks/{id}", admin_unblock, 0, "admin: lift a ban"},
    {"GET", "/api/v1/admin/audit", admin_audit, 0, "admin: the audit log, newest first"},
    {"GET", "/admin", admin_dashboard_page, 0, "admin: counts, storage, uploads per day, recent uploads"},
    {"GET", "/admin/reports", admin_reports_page, 0, "admin: the open reports by item, with their actions"},
    {"POST", "/admin/reports", admin_report_action, 0, "admin: take down, ban or dismiss a reported item"},
    {"GET", "/admin/users", admin_users_page, 0, "admin: the accounts (keyset paging)"},
    {"GET", "/admin/users/{name}", admin_user_page, 0, "admin: one account and its actions"},
    {"POST", "/admin/users/{name}/status", admin_user_status, 0, "admin: disable or enable an account"},
    {"POST", "/admin/users/{name}/quota", admin_user_quota, 0, "admin: set an account's quota"},
    {"GET", "/admin/users/{name}/remove", admin_remove_uploads_page, 0, "admin: confirm removing an account's uploads"},
    {"POST", "/admin/users/{name}/remove", admin_remove_uploads, 0, "admin: remove every upload of an account"},
    {"GET", "/admin/search", admin_search_page, 0, "admin: find images by id, file name, SHA-256 or owner"},
    {"POST", "/admin/takedown", admin_takedown_from_search, 0, "admin: take down an image found by the search"},
    {"GET", "/admin/audit", admin_audit_page, 0, "admin: the audit log, newest first"},
    {"GET", "/api/oembed", oembed, 0, "oEmbed 1.0 for a link to an image or album (link previews)"},
    {"GET", "/metrics", metrics, kPrivate, "Prometheus metrics (private listener only)"},
    {"GET", "/_error/{status}", nginx_error, kInternal, "nginx's own 413 and 404 as the site's pages"},
};
static_assert(std::size(kRoutes) < metrics::kMaxRoutes, "metrics count requests by row, kMaxRoutes - 1 is \"none\"");

}  // namespace

std::span<const Route> routes() { return kRoutes; }

}  // namespace imghost::handlers
