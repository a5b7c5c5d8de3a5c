// An owner's images in the browser: the form of "My images" that acts on several at
// once (POST /account/images: delete after a confirmation, make public or unlisted, add
// to an album), the deletion it confirms (POST /account/images/delete), and the edit
// form of an image's own page (POST /i/{id}/edit).  Plain forms that work without
// JavaScript; the router has checked the session's CSRF token of every POST here.
// Who may act on an image is core's rule (image_removal::check_authority: its owner or
// an admin); a refusal is the site's error page, and nothing is half-done: each image
// is checked before any is changed.
#include <fmt/format.h>

#include "base/text.hpp"
#include "core/accounts.hpp"
#include "core/albums.hpp"
#include "core/image_edit.hpp"
#include "core/image_removal.hpp"
#include "domain/error.hpp"
#include "domain/free_text.hpp"
#include "handlers/auth.hpp"
#include "handlers/handlers.hpp"
#include "render/owner_images.hpp"

namespace imghost::handlers {
namespace {

constexpr std::size_t kMaxSelected = 200;  // more than a page of "My images" (48)

// The account behind the browser's session (a form is never sent with a Bearer token).
Caller session_account(App& app, const Request& req) {
  auto c = identify(app, req);
  if (c.via != Caller::Via::session || !c.account) throw errors::unauthorized(i18n::msg("log in first"));
  return c;
}

// The selected images, each one the caller's to change (404, then 403, before anything
// is changed).
std::vector<ImageRecord> selected_images(App& app, const Caller& c, std::string_view body) {
  const auto ids = form_values(body, "id");
  if (ids.empty()) throw errors::bad_request(i18n::msg("Select at least one image first."));
  if (ids.size() > kMaxSelected) throw errors::bad_request(i18n::msg("Select at most {} images.", kMaxSelected));
  std::vector<ImageRecord> out;
  for (const auto& id : ids) out.push_back(image_removal::check_authority(app, id, {"", c.user()}));
  return out;
}

}  // namespace

Response bulk_images_from_form(App& app, Request& req, const Params&) {
  const auto c = session_account(app, req);
  const auto body = req.read_body(kMaxFormBody);
  const auto action = form_field(body, "action");
  const auto images = selected_images(app, c, body);
  if (action == "delete")
    return Response::html(200, pages::bulk_delete_confirm(site_of(app), images, accounts::csrf_token(c.session_id)));
  if (action == "public" || action == "unlisted") {
    ImageEdit edit;
    edit.visibility = action == "public" ? Visibility::public_ : Visibility::unlisted;
    for (const auto& r : images) edit_image(app, r.id, edit, *c.account);
    return see_other(app, "/account");
  }
  if (action == "album") {
    const auto album = albums::find_managed(app, form_field(body, "album"), "", c.user());
    std::vector<std::string> ids;
    for (const auto& r : images) ids.push_back(r.id);
    albums::add_images(app, album, ids, *c.account);
    return see_other(app, "/account");
  }
  throw errors::bad_request(i18n::msg("Choose what to do with the selected images."));
}

Response bulk_delete_from_form(App& app, Request& req, const Params&) {
  const auto c = session_account(app, req);
  const auto body = req.read_body(kMaxFormBody);
  const auto images = selected_images(app, c, body);
  std::vector<std::string> names;
  for (const auto& r : images) {
    try {
      const auto gone = image_removal::delete_image(app, r.id, {"", c.user()});
      names.push_back(gone.record.original_filename.empty() ? gone.record.name : gone.record.original_filename);
    } catch (const Error& e) {
      // Deleted meanwhile (another tab, its expiry): what was asked for is done.
      if (e.code() != ErrorCode::not_found) throw;
    }
  }
  return Response::html(200, pages::bulk_deleted(site_of(app), names));
}

Response edit_image_from_form(App& app, Request& req, const Params& params) {
  const auto c = session_account(app, req);
  const auto& id = params["id"];
  image_removal::check_authority(app, id, {"", c.user()});
  const auto body = req.read_body(kMaxFormBody);
  ImageEdit edit;
  edit.description =
      checked_free_text(typed_text(form_field(body, "description")), "description", kMaxDescriptionChars);
  const auto visibility = form_field(body, "visibility");
  if (!visibility.empty()) {
    edit.visibility = parse_visibility(visibility);
    if (!edit.visibility) throw errors::bad_request(i18n::msg("visibility must be public or unlisted"));
  }
  edit_image(app, id, edit, *c.account);
  return see_other(app, "/i/" + id);
}

}  // namespace imghost::handlers
