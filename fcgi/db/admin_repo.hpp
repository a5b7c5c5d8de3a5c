// What the admin's dashboard counts (core/admin_dashboard.hpp): the site's totals and
// its uploads per day.  Every method runs one statement on the given connection and
// throws db::DbError.
#pragma once

#include <string>
#include <vector>

#include "db/pg.hpp"
#include "domain/admin_records.hpp"

namespace imghost::db {

class AdminRepo {
 public:
  explicit AdminRepo(Connection& c) : c_(c) {}

  SiteTotals totals();
  // The last `days` days up to today (UTC), oldest first, each with how many images and
  // videos were uploaded that day (0 for a day without any); exactly `days` entries.
  std::vector<DayCount> uploads_per_day(int days);

 private:
  Connection& c_;
};

}  // namespace imghost::db
