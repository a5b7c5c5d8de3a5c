#include "handlers/router.hpp"

#include "handlers/handlers.hpp"
#include "core/error.hpp"

namespace imghost {
namespace {

bool starts_with(std::string_view s, std::string_view p) { return s.substr(0, p.size()) == p; }

[[noreturn]] void wrong_method(std::string_view allowed) {
  throw errors::method_not_allowed("use " + std::string(allowed) + " for this path");
}

bool is_get(std::string_view m) { return m == "GET" || m == "HEAD"; }

}  // namespace

bool wants_json(const http::Request& req) {
  return starts_with(req.path(), "/api/") ||
         req.header("Accept").find("application/json") != std::string_view::npos;
}

http::Response dispatch(App& app, http::Request& req) {
  using namespace handlers;
  const auto path = req.path();
  const auto m = req.method();

  if (path == "/") {
    if (is_get(m)) return home(app, req);
    wrong_method("GET");
  }
  if (path == "/upload") {
    if (is_get(m)) return upload_form(app, req);
    if (m == "POST") return upload(app, req, wants_json(req));
    wrong_method("GET or POST");
  }
  if (path == "/images/" || path == "/images") {
    if (is_get(m)) return catalog_page(app, req);
    wrong_method("GET");
  }
  if (starts_with(path, "/images/thumbs/")) {
    if (is_get(m)) return thumbnail(app, req, std::string(path.substr(15)));
    wrong_method("GET");
  }
  if (path == "/api/v1/health") {
    if (is_get(m)) return health(app, req);
    wrong_method("GET");
  }
  if (path == "/api/v1/images" || path == "/api/v1/images/") {
    if (is_get(m)) return list_images(app, req);
    if (m == "POST") return upload(app, req, true);
    wrong_method("GET or POST");
  }
  if (starts_with(path, "/api/v1/images/")) {
    auto rest = path.substr(15);
    const auto slash = rest.find('/');
    const std::string id(rest.substr(0, slash));
    if (slash == std::string_view::npos) {
      if (is_get(m)) return get_image(app, req, id);
      if (m == "DELETE") return delete_image_api(app, req, id);
      wrong_method("GET or DELETE");
    }
    if (rest.substr(slash) == "/file") {
      if (is_get(m)) return get_image_file(app, req, id);
      wrong_method("GET");
    }
  }
  if (starts_with(path, "/delete/")) {
    const std::string id(path.substr(8));
    if (is_get(m) || m == "POST") return delete_page(app, req, id);
    wrong_method("GET or POST");
  }
  throw errors::not_found("no such page");
}

}  // namespace imghost
