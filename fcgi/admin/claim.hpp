// `imghost-admin claim JOB --every SECONDS`: whether this machine runs a scheduled job
// now.  Several machines sharing one database all have the job in their crontab; the
// first to claim it within a period runs it, the others are told who did.  The claim is
// one INSERT ... ON CONFLICT DO UPDATE ... WHERE on sql/005_scheduled_runs.sql's table
// (db/scheduled_runs.hpp), atomic under concurrent claims, timed by the database's clock.
#pragma once

#include <chrono>
#include <optional>
#include <string>

#include "db/pg.hpp"

namespace imghost::admin {

struct Claim {
  bool ours = false;
  std::string started_at;  // the run that holds the period (ours or another's), ISO 8601
  std::string host;        // the machine that claimed it
};

// Claims `job` for `host` unless some machine claimed it less than `every` ago.
// Throws db::DbError.
Claim claim(db::Connection& conn, const std::string& job, std::chrono::seconds every, const std::string& host);

}  // namespace imghost::admin
