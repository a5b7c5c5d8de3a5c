// What the admin area shows (handlers/admin_pages.cpp): the dashboard, the reports
// queue grouped by reported item, and the search for images.  Reading only: the
// actions are core/moderation.hpp's and core/user_admin.hpp's.  The caller has checked
// that an admin asks (moderation::require_admin).  Throws db::DbError.
#pragma once

#include <string>
#include <vector>

#include "core/app.hpp"
#include "domain/admin_records.hpp"

namespace imghost::admin_area {

inline constexpr int kChartDays = 30;
inline constexpr int kRecentUploads = 12;
inline constexpr int kMaxSearchResults = 50;

// The totals, the uploads of each of the last kChartDays days, the newest uploads.
Dashboard dashboard(App& app);

// The open reports (at most `max_reports` of them, newest first) grouped by the item
// they report, the item of the newest report first; each with the item if it is still
// there.
std::vector<ReportedItem> report_queue(App& app, int max_reports);

// Images whose id, SHA-256 (64 hex digits, either case), owner's name or part of the
// file name as uploaded is `query` (spaces around it dropped), newest first, at most
// kMaxSearchResults.  An empty query finds nothing.
std::vector<ImageRecord> search_images(App& app, const std::string& query);

}  // namespace imghost::admin_area
