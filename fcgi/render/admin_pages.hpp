// The admin area's pages (/admin...): the dashboard, the reports queue, the accounts and
// one account, the confirmation of removing an account's uploads, the search, and the
// audit log.  Plain HTML that works without JavaScript: every action is a form that
// posts application/x-www-form-urlencoded with the session's CSRF token and a required
// reason.  All variable text is escaped; every word goes through i18n.  `notice`: what
// the last action did ("" for none), shown above the page's content.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "domain/admin_records.hpp"
#include "render/html.hpp"

namespace imghost::pages {

// Which page of the admin area a page is (the area's own navigation marks it).
enum class AdminSection { dashboard, reports, users, search, audit };

// The counts, the storage used, the uploads per day as an SVG bar chart drawn here (no
// script; titled and described for screen readers), and the newest uploads.
std::string admin_dashboard(const Site& site, const Dashboard& d);

// Each reported item (its thumbnail, link and owner) with its reports and the form that
// takes it down, bans it (images) or dismisses its reports.
std::string admin_reports(const Site& site, const std::vector<ReportedItem>& items, const std::string& csrf,
                          const std::string& notice);

// One page of accounts; `next_cursor` opens the following one.
std::string admin_users(const Site& site, const UsersPage& page, const std::optional<std::string>& next_cursor,
                        bool is_first_page);
// One account: its state, usage and quota, and the forms that disable or enable it,
// set its quota, and ask to remove its uploads.  `quota_bytes`: its quota in force
// (its own or the configured default).
std::string admin_user(const Site& site, const UserRecord& u, long long uploads, long long quota_bytes,
                       const std::string& csrf, const std::string& notice);
// "Remove all 12 uploads of bob?" with the reason field and the button that does it.
std::string admin_remove_uploads_confirm(const Site& site, const UserRecord& u, long long uploads,
                                         const std::string& csrf);

// The search form and, when `query` is not empty, what it found, each with the form that
// takes it down.
std::string admin_search(const Site& site, const std::string& query, const std::vector<ImageRecord>& found,
                         const std::string& csrf, const std::string& notice);

// The audit log, newest first; `next_cursor` opens the older entries.
std::string admin_audit(const Site& site, const std::vector<AuditRecord>& entries,
                        const std::optional<std::string>& next_cursor, bool is_first_page);

}  // namespace imghost::pages
