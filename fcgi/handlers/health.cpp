#include "db/pg.hpp"
#include "domain/error.hpp"
#include "handlers/handlers.hpp"

namespace imghost::handlers {

Response health(App& app, Request&, const Params&) {
  // Both dependencies are asked for real: a query, and a synced write in the store.
  app.db().exec("SELECT 1");
  if (!app.store().writable()) throw errors::unavailable("the image store is not writable");
  return Response::json(200, R"({"status":"ok"})");
}

}  // namespace imghost::handlers
