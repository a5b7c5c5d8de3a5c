#include "core/health.hpp"
#include "handlers/handlers.hpp"

namespace imghost::handlers {

Response health(App& app, Request&, const Params&) {
  health::check(app);
  return Response::json(200, R"({"status":"ok"})");
}

}  // namespace imghost::handlers
