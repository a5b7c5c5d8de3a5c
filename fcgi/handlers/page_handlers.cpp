// The browser's pages: home, upload form, catalog, delete confirmation.
#include <fmt/format.h>

#include "base/text.hpp"
#include "core/deletion.hpp"
#include "core/error.hpp"
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
  // Only POST deletes.  GET and HEAD (link checkers and chat previews send HEAD to every
  // pasted link) show the confirmation and change nothing.
  if (req.method() != "POST")
    return Response::html(200, pages::delete_confirm(check_delete_token(app, id, token), token));
  const auto rec = delete_image(app, id, token);
  return Response::html(200, pages::deleted(rec.original_filename.empty() ? rec.name : rec.original_filename));
}

}  // namespace imghost::handlers
