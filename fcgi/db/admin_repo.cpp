#include "db/admin_repo.hpp"

namespace imghost::db {

SiteTotals AdminRepo::totals() {
  // One statement, one snapshot: the numbers on the dashboard agree with each other.
  auto r = c_.run("admin_totals",
                  "SELECT (SELECT count(*) FROM images WHERE kind = 'image'),"
                  " (SELECT count(*) FROM images WHERE kind = 'video'),"
                  " (SELECT count(*) FROM albums WHERE status <> 'deleting'),"
                  " (SELECT count(*) FROM users),"
                  " (SELECT count(*) FROM reports WHERE resolved_at IS NULL),"
                  " (SELECT COALESCE(sum(size), 0) FROM blobs)",
                  {});
  return {r.get_int(0, 0), r.get_int(0, 1), r.get_int(0, 2), r.get_int(0, 3), r.get_int(0, 4), r.get_int(0, 5)};
}

std::vector<DayCount> AdminRepo::uploads_per_day(int days) {
  // The series gives every day a row, so a day without uploads is a 0, not a gap; the
  // images are grouped once (a scan of the table: the dashboard is an admin's page).
  auto r =
      c_.run("admin_uploads_per_day",
             "WITH d AS (SELECT generate_series((now() AT TIME ZONE 'UTC')::date - ($1::int - 1),"
             "   (now() AT TIME ZONE 'UTC')::date, interval '1 day')::date AS day),"
             " c AS (SELECT (created_at AT TIME ZONE 'UTC')::date AS day, count(*) AS n FROM images"
             "   WHERE created_at >= ((now() AT TIME ZONE 'UTC')::date - ($1::int - 1))::timestamp AT TIME ZONE 'UTC'"
             "   GROUP BY 1)"
             " SELECT to_char(d.day, 'YYYY-MM-DD'), COALESCE(c.n, 0) FROM d LEFT JOIN c USING (day)"
             " ORDER BY d.day",
             {std::to_string(days)});
  return r.map([](const Result& res, int row) { return DayCount{std::string(res.get(row, 0)), res.get_int(row, 1)}; });
}

}  // namespace imghost::db
