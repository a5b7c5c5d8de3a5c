#include "db/scheduled_runs.hpp"

#include "db/sql_fragments.hpp"

namespace imghost::db {

std::optional<ScheduledRun> claim_run(Connection& c, const std::string& job, std::chrono::seconds every,
                                      const std::string& host) {
  // Under concurrent claims the row lock serializes the upserts: the second sees the
  // first's started_at and its WHERE fails, so it gets no row back.
  auto r = c.run("claim_run",
                 "INSERT INTO scheduled_runs (job, started_at, host) VALUES ($1, now(), $2) "
                 "ON CONFLICT (job) DO UPDATE SET started_at = now(), host = EXCLUDED.host "
                 "WHERE scheduled_runs.started_at <= now() - make_interval(secs => $3::double precision) "
                 "RETURNING " SQL_ISO_UTC("started_at") ", host",
                 {job, host, std::to_string(every.count())});
  if (r.rows() != 1) return std::nullopt;
  return ScheduledRun{std::string(r.get(0, 0)), std::string(r.get(0, 1))};
}

std::optional<ScheduledRun> last_run(Connection& c, const std::string& job) {
  auto r = c.run("claim_holder",
                 "SELECT " SQL_ISO_UTC("started_at") ", host "
                 "FROM scheduled_runs WHERE job = $1",
                 {job});
  if (r.rows() != 1) return std::nullopt;
  return ScheduledRun{std::string(r.get(0, 0)), std::string(r.get(0, 1))};
}

}  // namespace imghost::db
