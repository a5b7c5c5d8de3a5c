// Maps method and path to a handler.  The one place that knows the route table of API.md.
#pragma once

#include "core/app.hpp"
#include "http/request.hpp"
#include "http/response.hpp"

namespace imghost {

// Whether errors of this request are answered as API JSON (else as an HTML page).
bool wants_json(const http::Request& req);

// Runs the handler for the request.  Throws Error 404/405 for unknown routes,
// and whatever the handler throws.
http::Response dispatch(App& app, http::Request& req);

}  // namespace imghost
