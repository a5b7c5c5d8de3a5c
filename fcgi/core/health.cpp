#include "core/health.hpp"

#include "db/pg.hpp"
#include "domain/error.hpp"

namespace imghost::health {

void check(App& app) {
  db::ping(app.db());
  if (!app.store().writable()) throw errors::unavailable(i18n::msg("the image store is not writable"));
}

}  // namespace imghost::health
