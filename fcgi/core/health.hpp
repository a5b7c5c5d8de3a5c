// The health check (GET /api/v1/health): whether this worker's dependencies answer.
#pragma once

#include "core/app.hpp"

namespace imghost::health {

// Both dependencies are asked for real: a query, and a synced write in the store.
// Returns when both answer; throws db::DbError when PostgreSQL does not, and
// errors::unavailable when the store is not writable.
void check(App& app);

}  // namespace imghost::health
