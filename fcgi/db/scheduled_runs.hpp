// The scheduled_runs table (sql/005_scheduled_runs.sql): when each scheduled job last
// ran, and on which machine; what `imghost-admin claim` asks (admin/claim.hpp).
#pragma once

#include <chrono>
#include <optional>
#include <string>

#include "db/pg.hpp"

namespace imghost::db {

struct ScheduledRun {
  std::string started_at;  // ISO 8601, UTC, by the database's clock
  std::string host;        // the machine that claimed it
};

// Records that `host` runs `job` now, unless some run of it started less than `every`
// ago: the run recorded, or nullopt when an earlier one still holds the period.  One
// statement, atomic under concurrent claims.  Throws DbError.
std::optional<ScheduledRun> claim_run(Connection& c, const std::string& job, std::chrono::seconds every,
                                      const std::string& host);

// The last recorded run of `job`, if any.  Throws DbError.
std::optional<ScheduledRun> last_run(Connection& c, const std::string& job);

}  // namespace imghost::db
