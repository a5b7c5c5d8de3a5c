#include "admin/claim.hpp"

#include "db/scheduled_runs.hpp"

namespace imghost::admin {

Claim claim(db::Connection& conn, const std::string& job, std::chrono::seconds every, const std::string& host) {
  Claim c;
  if (const auto ours = db::claim_run(conn, job, every, host)) {
    c.ours = true;
    c.started_at = ours->started_at;
    c.host = ours->host;
    return c;
  }
  if (const auto held = db::last_run(conn, job)) {
    c.started_at = held->started_at;
    c.host = held->host;
  }
  return c;
}

}  // namespace imghost::admin
