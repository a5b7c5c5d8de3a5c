// One function per route.  Each returns the full response or throws Error
// (or db::DbError / std::system_error, which the worker maps to 503).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/app.hpp"
#include "db/images_repo.hpp"
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

Response home(App& app, Request& req);
Response upload_form(App& app, Request& req);
// POST /upload and POST /api/v1/images; `json` picks the API answer over the HTML page.
Response upload(App& app, Request& req, bool json);
Response catalog_page(App& app, Request& req);
Response list_images(App& app, Request& req);
Response get_image(App& app, Request& req, const std::string& id);
Response get_image_file(App& app, Request& req, const std::string& id);
Response delete_image_api(App& app, Request& req, const std::string& id);
Response delete_page(App& app, Request& req, const std::string& id);
Response health(App& app, Request& req);
// nginx's fallback when a thumbnail is not on disk (yet): make it now.
Response thumbnail(App& app, Request& req, const std::string& name);

}  // namespace imghost::handlers
