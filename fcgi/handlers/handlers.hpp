// The handlers: one function per route of the route table (routes.hpp), each with the
// table's Handler signature.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/app.hpp"
#include "db/images_repo.hpp"
#include "handlers/routes.hpp"
#include "http/request.hpp"
#include "http/response.hpp"

namespace imghost::handlers {

using http::Request;
using http::Response;

// One page of the catalog from ?limit= and ?cursor= (shared by the API and the HTML
// catalog).  Throws 400 on a bad parameter.
struct Page {
  std::vector<db::ImageRecord> items;
  std::optional<std::string> next_cursor;
};
Page list_page(App& app, std::string_view query, int default_limit);

// The handlers of the route table (routes.cpp), one per route, grouped in files by
// what they serve: page_handlers.cpp, upload.cpp, images_api.cpp, health.cpp,
// missing_thumbnail.cpp.
Response home(App& app, Request& req, const Params& params);
Response upload_form(App& app, Request& req, const Params& params);
// POST /upload: the result page, or the API's answer when the client accepts JSON.
Response upload_from_form(App& app, Request& req, const Params& params);
// POST /api/v1/images.
Response upload_api(App& app, Request& req, const Params& params);
Response catalog_page(App& app, Request& req, const Params& params);
Response list_images(App& app, Request& req, const Params& params);
Response get_image(App& app, Request& req, const Params& params);         // {id}
Response get_image_file(App& app, Request& req, const Params& params);    // {id}
Response delete_image_api(App& app, Request& req, const Params& params);  // {id}
// GET and HEAD show the confirmation; only POST deletes.  {id}, ?token=
Response delete_page(App& app, Request& req, const Params& params);
Response health(App& app, Request& req, const Params& params);
// nginx's fallback when a thumbnail is not on disk (yet): make it now.  {name}
Response missing_thumbnail(App& app, Request& req, const Params& params);

}  // namespace imghost::handlers
