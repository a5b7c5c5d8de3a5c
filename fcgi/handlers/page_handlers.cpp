// The browser's pages: home, upload form, catalog, delete confirmation.
#include <fmt/format.h>

#include "base/text.hpp"
#include "core/accounts.hpp"
#include "core/deletion.hpp"
#include "core/error.hpp"
#include "handlers/auth.hpp"
#include "handlers/handlers.hpp"
#include "render/pages.hpp"

namespace imghost::handlers {
namespace {

constexpr int kCatalogPage = 48;

std::string token_of(const Request& req) {
  std::string token;
  text::query_param(req.query(), "token", token);
  return token;
}

}  // namespace

Response home(App& app, Request&, const Params&) { return Response::html(200, pages::home(app.config())); }

Response upload_form(App& app, Request&, const Params&) {
  return Response::html(200, pages::upload_form(app.config()));
}

Response catalog_page(App& app, Request& req, const Params&) {
  const auto page = list_page(app, req.query(), kCatalogPage);
  std::string cursor;
  const bool first = !text::query_param(req.query(), "cursor", cursor) || cursor.empty();
  return Response::html(200, pages::catalog(page.items, page.next_cursor, first));
}

Response delete_page(App& app, Request& req, const Params& params) {
  const auto& id = params["id"];
  const auto token = token_of(req);
  // The delete link's token, or the owner's (or an admin's) session.  (The router has
  // checked the CSRF token of a POST that a session cookie authenticates.)
  const auto caller = identify(app, req);
  const Authority who{token, caller.user()};
  // Only POST and DELETE delete.  GET and HEAD (link checkers and chat previews send
  // HEAD to every pasted link) show the confirmation and change nothing.
  if (req.method() == "DELETE") {
    delete_image(app, id, who);
    Response r;
    r.status = 204;
    return r;
  }
  const auto csrf = caller.via == Caller::Via::session ? accounts::csrf_token(caller.session_id) : std::string();
  if (req.method() != "POST")
    return Response::html(200, pages::delete_confirm(check_authority(app, id, who), token, csrf));
  const auto rec = delete_image(app, id, who);
  return Response::html(200, pages::deleted(rec.original_filename.empty() ? rec.name : rec.original_filename));
}

}  // namespace imghost::handlers
