// The handlers: one function per route of the route table (routes.hpp), each with the
// table's Handler signature.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/app.hpp"
#include "core/ingest.hpp"
#include "core/upload_admission.hpp"
#include "domain/image_record.hpp"
#include "handlers/routes.hpp"
#include "http/request.hpp"
#include "http/response.hpp"
#include "render/html.hpp"

namespace imghost::handlers {

using http::Request;
using http::Response;

// The lists that page, each a scope of its cursors (base/page_cursor.hpp): a cursor
// that one list handed out opens in no other.  An album's images: album_scope(its seq).
namespace cursor_scope {
inline constexpr std::string_view catalog = "images";
inline constexpr std::string_view account_images = "account images";
inline constexpr std::string_view albums = "albums";
inline constexpr std::string_view account_albums = "account albums";
}  // namespace cursor_scope
std::string album_scope(long long album_seq);

// One page of the public catalog from ?limit= and ?cursor= (shared by the API and the
// HTML catalog).  Throws 400 on a bad parameter.
struct Page {
  std::vector<ImageRecord> items;
  std::optional<std::string> next_cursor;
};
Page list_page(App& app, std::string_view query, int default_limit);
// ?limit= (1..100) and ?cursor= of the list `scope`; throws 400 on a bad limit and on a
// cursor that is malformed, altered or another list's.  `before` is the keyset position
// the cursor sealed (nullopt: the first page).
struct PageRequest {
  int limit;
  std::optional<long long> before;
};
PageRequest page_request(App& app, std::string_view query, int default_limit, std::string_view scope);
// The cursor of the page that starts after keyset position `key` in the list `scope`.
std::string next_cursor(App& app, std::string_view scope, long long key);
// Rows fetched with limit + 1 cut to `limit`; the cursor of the next page of the list
// `scope` (after the last row kept, at the keyset position `key_of` gives) when the extra
// row was there: one query tells whether there is a next page.
template <class Row, class KeyOf>
std::optional<std::string> cut_to_page(App& app, std::vector<Row>& rows, int limit, std::string_view scope,
                                       KeyOf key_of) {
  if (static_cast<int>(rows.size()) <= limit) return std::nullopt;
  rows.resize(static_cast<std::size_t>(limit));
  return next_cursor(app, scope, key_of(rows.back()));
}
// A page of the list `scope` from rows fetched with limit + 1 (the extra row says there
// is a next page).
Page page_of(App& app, std::vector<ImageRecord> rows, int limit, std::string_view scope);

// What the pages need of the app: its settings and its static files' URLs.
inline pages::Site site_of(const App& app) { return {app.config(), app.assets()}; }

// The answer to a form upload: 303 See Other to its result page, /uploaded/{ids}, with
// the delete tokens (and the manage token of an anonymous album it made) in short-lived
// cookies that only that page receives (uploaded.cpp).
Response see_uploaded(App& app, const std::vector<Stored>& stored,
                      const std::optional<MadeAlbum>& album = std::nullopt);

// The handlers of the route table (routes.cpp), one per route, grouped in files by
// what they serve: page_handlers.cpp, uploaded.cpp, upload.cpp, images_api.cpp,
// health.cpp, missing_thumbnail.cpp.
Response home(App& app, Request& req, const Params& params);
Response upload_form(App& app, Request& req, const Params& params);
// POST /upload: 303 to the result page, or the API's answer when the client accepts JSON.
Response upload_from_form(App& app, Request& req, const Params& params);
// GET /uploaded/{ids}: the result page of a form upload; the delete links only for the
// browser whose cookie holds their tokens.
Response uploaded_page(App& app, Request& req, const Params& params);
// GET /i/{id}: an image's own page, public or unlisted.
Response image_page(App& app, Request& req, const Params& params);
// GET /a/{id}: an album's page, public or unlisted; 404 and 410 (expired) as the site's
// pages (album_page.cpp).
Response album_page(App& app, Request& req, const Params& params);
// GET /mine: the uploads this browser remembers (filled in by the script).
Response my_uploads(App& app, Request& req, const Params& params);
// GET /_error/{status}: nginx's own errors (413 over the body limit, 404 of a missing
// file under /images/) as the site's pages; reached only through nginx's error_page.
Response nginx_error(App& app, Request& req, const Params& params);
// POST /api/v1/images.
Response upload_api(App& app, Request& req, const Params& params);
// The public images only: unlisted ones are never listed.
Response catalog_page(App& app, Request& req, const Params& params);
Response list_images(App& app, Request& req, const Params& params);
Response get_image(App& app, Request& req, const Params& params);         // {id}, public or unlisted
Response get_image_file(App& app, Request& req, const Params& params);    // {id}
Response delete_image_api(App& app, Request& req, const Params& params);  // {id}
// The account's images, newest first; {id}: description and visibility, all or nothing.
Response my_images(App& app, Request& req, const Params& params);
Response patch_image(App& app, Request& req, const Params& params);
// {id}, ?token=: GET and HEAD show the confirmation; POST (the page's button) deletes
// and shows what was deleted; DELETE (ShareX, the owner) deletes, 204.
Response delete_confirm_page(App& app, Request& req, const Params& params);
Response delete_from_page(App& app, Request& req, const Params& params);
Response delete_by_link(App& app, Request& req, const Params& params);
Response health(App& app, Request& req, const Params& params);

// The body of a JSON request: one object, at most 64 KiB (nginx's limit outside the
// upload routes); else bad_request.
nlohmann::json object_body(Request& req);

// The site's own address for files a client keeps (the ShareX file): the public base
// URL when configured, else the Host the client used (its own request: never stored
// nor shown to anyone else).
std::string site_address(App& app, const Request& req);

// Accounts and tokens (accounts_api.cpp).
Response create_user(App& app, Request& req, const Params& params);   // POST /api/v1/users
Response create_token(App& app, Request& req, const Params& params);  // POST /api/v1/tokens
Response list_tokens(App& app, Request& req, const Params& params);
Response revoke_token(App& app, Request& req, const Params& params);  // {id}
Response me(App& app, Request& req, const Params& params);
Response sharex(App& app, Request& req, const Params& params);
// The browser's account pages (account_pages.cpp).
Response signup_page(App& app, Request& req, const Params& params);
// POST /signup: 303 to /account, or the form again with the refusal.
Response signup_from_form(App& app, Request& req, const Params& params);
Response login_page(App& app, Request& req, const Params& params);
// POST /login: 303 to /account, or the form again with the refusal.
Response login_from_form(App& app, Request& req, const Params& params);
Response logout(App& app, Request& req, const Params& params);
Response my_images_page(App& app, Request& req, const Params& params);
Response tokens_page(App& app, Request& req, const Params& params);
// POST /account/tokens: the tokens page, showing the new token once.
Response create_token_from_form(App& app, Request& req, const Params& params);
Response revoke_token_page(App& app, Request& req, const Params& params);  // POST {id}
// GET /account/tokens/{id}/revoke: "Revoke the token <name>?".
Response revoke_token_confirm_page(App& app, Request& req, const Params& params);
// POST /account/tokens/sharex: imghost.sxcu for the account's token in the field `token`, as a download.
Response sharex_from_form(App& app, Request& req, const Params& params);
// A 303 See Other to `location` (a path of this site), with a short page for clients that show it.
Response see_other(App& app, const std::string& location);
// An owner's images (owner_images.cpp): POST /account/images acts on the selected ones
// (delete: a confirmation page), POST /account/images/delete deletes them, POST
// /i/{id}/edit changes an image's description and visibility.
Response bulk_images_from_form(App& app, Request& req, const Params& params);
Response bulk_delete_from_form(App& app, Request& req, const Params& params);
Response edit_image_from_form(App& app, Request& req, const Params& params);
// Albums managed in the browser (album_manage.cpp): an account's albums, and an album's
// manage page for its owner's session or its manage token (?token= / field manage_token).
Response my_albums_page(App& app, Request& req, const Params& params);
Response create_album_from_form(App& app, Request& req, const Params& params);
Response album_manage_page(App& app, Request& req, const Params& params);          // {id}
Response album_edit_from_form(App& app, Request& req, const Params& params);       // {id}: title, description
Response album_close_from_form(App& app, Request& req, const Params& params);      // {id}
Response album_move_from_form(App& app, Request& req, const Params& params);       // {id}: image, to=up|down
Response album_cover_from_form(App& app, Request& req, const Params& params);      // {id}: image
Response album_order_from_form(App& app, Request& req, const Params& params);      // {id}: order (ids, spaced)
Response album_delete_confirm_page(App& app, Request& req, const Params& params);  // {id}
Response album_delete_from_form(App& app, Request& req, const Params& params);     // {id}
// The most a plain form's urlencoded body may hold (nginx's limit outside the upload
// routes): read whole, so bounded.
inline constexpr std::size_t kMaxFormBody = 64u << 10;
// The browser's plain forms (form_fields.cpp): every value of a repeated field of an
// urlencoded body, in order, empty and malformed ones left out; a textarea's text with
// the CR LF line breaks browsers send made LF.
std::vector<std::string> form_values(std::string_view body, std::string_view name);
std::string typed_text(std::string_view s);
// Albums (albums_api.cpp; the upload into one is upload.cpp's).
Response create_album(App& app, Request& req, const Params& params);  // POST /api/v1/albums
Response get_album(App& app, Request& req, const Params& params);     // {id}: 404, 410
// Public albums, newest first, keyset paging like the catalog; ?mine=1: the account's own (401 without one).
Response list_albums(App& app, Request& req, const Params& params);
// {id}: its images in order (keyset paging on the position); 404, 410.
Response list_album_images(App& app, Request& req, const Params& params);
// {id}: owner, admin or X-Manage-Token: title, description, status closed, cover, order.
Response patch_album(App& app, Request& req, const Params& params);
// {id}: owner, admin or X-Manage-Token; the album and its images that are in no other album.
Response delete_album(App& app, Request& req, const Params& params);
Response upload_into_album(App& app, Request& req, const Params& params);  // {id}: as the upload, into it

// Resumable uploads, tus 1.0.0 (resumable_uploads.cpp).
Response tus_options(App& app, Request& req, const Params& params);  // what the server speaks
Response tus_create(App& app, Request& req, const Params& params);   // Upload-Length → 201, Location
Response tus_status(App& app, Request& req, const Params& params);   // {id}: HEAD the offset, GET the outcome
Response tus_append(App& app, Request& req, const Params& params);   // {id}: a piece at Upload-Offset
Response tus_abandon(App& app, Request& req, const Params& params);  // {id}: terminate
// GET /api/oembed: the oEmbed answer for a link to an image or album (oembed.cpp).
Response oembed(App& app, Request& req, const Params& params);
// GET /metrics on the private listener (metrics.cpp).
Response metrics(App& app, Request& req, const Params& params);
// Moderation (moderation_api.cpp): POST /api/v1/reports from anyone; the admin routes
// answer 404 to everyone but an admin.
Response create_report(App& app, Request& req, const Params& params);
Response admin_reports(App& app, Request& req, const Params& params);
Response admin_takedown(App& app, Request& req, const Params& params);
Response admin_block(App& app, Request& req, const Params& params);
Response admin_unblock(App& app, Request& req, const Params& params);  // {id}, ?reason=
Response admin_audit(App& app, Request& req, const Params& params);
// The admin area (admin_pages.cpp): 404 to everyone but an admin.  Its pages (GET) and
// the forms they post, each answered with 303 back to the page.
Response admin_dashboard_page(App& app, Request& req, const Params& params);
Response admin_reports_page(App& app, Request& req, const Params& params);
Response admin_report_action(App& app, Request& req, const Params& params);  // target, action, reason
Response admin_users_page(App& app, Request& req, const Params& params);
Response admin_user_page(App& app, Request& req, const Params& params);             // {name}
Response admin_user_status(App& app, Request& req, const Params& params);           // {name}: action, reason
Response admin_user_quota(App& app, Request& req, const Params& params);            // {name}: quota, reason
Response admin_remove_uploads_page(App& app, Request& req, const Params& params);   // {name}
Response admin_remove_uploads(App& app, Request& req, const Params& params);        // {name}: reason
Response admin_search_page(App& app, Request& req, const Params& params);           // ?q=
Response admin_takedown_from_search(App& app, Request& req, const Params& params);  // target, reason, q
Response admin_audit_page(App& app, Request& req, const Params& params);
// The browser's report form (report_pages.cpp): GET /report/{id}, POST /report/{id}.
Response report_page(App& app, Request& req, const Params& params);
Response report_from_form(App& app, Request& req, const Params& params);
// nginx's fallback when a thumbnail is not on disk (yet): make it now.  {name}
Response missing_thumbnail(App& app, Request& req, const Params& params);
// GET /v/{preset}/{file}: a variant nginx found no file for, made now (variant.cpp).
Response missing_variant(App& app, Request& req, const Params& params);

}  // namespace imghost::handlers
