// What the admin area's flows (core/admin_dashboard.hpp, core/user_admin.hpp) return
// and its pages (render/admin_pages.hpp) show.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "domain/album_record.hpp"
#include "domain/image_record.hpp"
#include "domain/moderation_records.hpp"
#include "domain/user_record.hpp"

namespace imghost {

struct SiteTotals {
  long long images = 0;  // rows of kind image (expired ones the cleanup has not reached included)
  long long videos = 0;
  long long albums = 0;  // albums not being deleted
  long long users = 0;
  long long open_reports = 0;
  long long stored_bytes = 0;  // the bytes of every stored content, counted once
};

struct DayCount {
  std::string day;  // YYYY-MM-DD, UTC
  long long uploads = 0;
};

struct Dashboard {
  SiteTotals totals;
  std::vector<DayCount> per_day;  // the last 30 days, oldest first, today last
  std::vector<ImageRecord> recent;
};

// One reported item of the queue with its open reports, newest first.  `image` or
// `album` is the item when it is still there (nullopt: gone since the report).
struct ReportedItem {
  TargetKind kind = TargetKind::image;
  std::string target_id;
  std::optional<ImageRecord> image;
  std::optional<AlbumRecord> album;
  std::vector<ReportRecord> reports;
};

// A page of the admin's list of accounts; `next_after` is the id the next page starts
// after (nullopt: the last page).
struct UsersPage {
  std::vector<UserRecord> users;
  std::optional<long long> next_after;
};

}  // namespace imghost
