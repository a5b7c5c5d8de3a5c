// The admin area in the browser (/admin...): the dashboard, the reports queue and its
// actions, the accounts, the search, the audit log.  Every route answers 404 to
// everyone who is not an admin (moderation::require_admin) before it reads a parameter,
// as the admin API does: the area does not exist for them.  The router has checked the
// session's CSRF token of every POST (handlers/auth.hpp).  An action answers 303 back
// to the page it came from, whose `done` parameter names what was done (a word of a
// fixed list, never text to echo).
#include <fmt/format.h>

#include <charconv>

#include "base/text.hpp"
#include "core/accounts.hpp"
#include "core/admin_dashboard.hpp"
#include "core/moderation.hpp"
#include "core/user_admin.hpp"
#include "domain/error.hpp"
#include "handlers/auth.hpp"
#include "handlers/handlers.hpp"
#include "render/admin_pages.hpp"

namespace imghost::handlers {
namespace {

constexpr int kQueueReports = 200;
constexpr int kUsersPerPage = 50;
constexpr int kAuditPerPage = 50;
constexpr std::string_view kUsersScope = "admin users";
constexpr std::string_view kAuditScope = "admin audit page";

struct AdminCaller {
  moderation::Actor who;
  std::string csrf;  // "" when a Bearer token asks: its forms need none
};

AdminCaller admin_caller(App& app, const Request& req) {
  const auto c = identify(app, req);
  auto who = moderation::require_admin(c);
  return {std::move(who), c.via == Caller::Via::session ? accounts::csrf_token(c.session_id) : std::string()};
}

std::string query_value(const Request& req, std::string_view key) {
  std::string v;
  text::query_param(req.query(), key, v);
  return v;
}

// What an action did, said on the page it returns to.
std::string notice_of(const Request& req) {
  const auto done = query_value(req, "done");
  if (done == "takedown") return i18n::tr("Taken down: its links answer 451 from now on.");
  if (done == "ban") return i18n::tr("Banned: taken down, and the same content cannot be uploaded again.");
  if (done == "dismiss") return i18n::tr("The reports are dismissed.");
  if (done == "disable") return i18n::tr("The account is disabled.");
  if (done == "enable") return i18n::tr("The account is enabled.");
  if (done == "quota") return i18n::tr("The quota is set.");
  if (done == "removed") {
    long long n = 0;
    const auto text = query_value(req, "n");
    std::from_chars(text.data(), text.data() + text.size(), n);
    return i18n::trnf("{} upload removed.", "{} uploads removed.", static_cast<long>(n), n);
  }
  return {};
}

std::string user_path(const std::string& username) { return "/admin/users/" + text::url_encode(username); }

}  // namespace

Response admin_dashboard_page(App& app, Request& req, const Params&) {
  admin_caller(app, req);
  return Response::html(200, pages::admin_dashboard(site_of(app), admin_area::dashboard(app)));
}

Response admin_reports_page(App& app, Request& req, const Params&) {
  const auto a = admin_caller(app, req);
  return Response::html(
      200, pages::admin_reports(site_of(app), admin_area::report_queue(app, kQueueReports), a.csrf, notice_of(req)));
}

Response admin_report_action(App& app, Request& req, const Params&) {
  const auto a = admin_caller(app, req);
  const auto body = req.read_body(kMaxFormBody);
  const auto target = form_field(body, "target");
  const auto reason = form_field(body, "reason");
  const auto action = form_field(body, "action");
  if (action == "takedown")
    moderation::takedown(app, a.who, target, reason);
  else if (action == "ban")
    moderation::ban(app, a.who, target, reason);
  else if (action == "dismiss")
    moderation::dismiss_reports(app, a.who, target, reason);
  else
    throw errors::bad_request(i18n::msg("Choose take down, ban or dismiss."));
  return see_other(app, "/admin/reports?done=" + action);
}

Response admin_users_page(App& app, Request& req, const Params&) {
  admin_caller(app, req);
  const auto p = page_request(app, req.query(), kUsersPerPage, kUsersScope);
  const auto page = user_admin::users(app, p.before, p.limit);
  std::optional<std::string> next;
  if (page.next_after) next = next_cursor(app, kUsersScope, *page.next_after);
  return Response::html(200, pages::admin_users(site_of(app), page, next, !p.before));
}

Response admin_user_page(App& app, Request& req, const Params& params) {
  const auto a = admin_caller(app, req);
  const auto u = user_admin::find(app, params["name"]);
  return Response::html(200, pages::admin_user(site_of(app), u, user_admin::count_uploads(app, u),
                                               accounts::quota_of(app.config(), u), a.csrf, notice_of(req)));
}

Response admin_user_status(App& app, Request& req, const Params& params) {
  const auto a = admin_caller(app, req);
  const auto body = req.read_body(kMaxFormBody);
  const auto action = form_field(body, "action");
  if (action != "disable" && action != "enable") throw errors::bad_request(i18n::msg("Choose disable or enable."));
  user_admin::set_disabled(app, a.who, params["name"], action == "disable", form_field(body, "reason"));
  return see_other(app, user_path(params["name"]) + "?done=" + action);
}

Response admin_user_quota(App& app, Request& req, const Params& params) {
  const auto a = admin_caller(app, req);
  const auto body = req.read_body(kMaxFormBody);
  user_admin::set_quota(app, a.who, params["name"], form_field(body, "quota"), form_field(body, "reason"));
  return see_other(app, user_path(params["name"]) + "?done=quota");
}

Response admin_remove_uploads_page(App& app, Request& req, const Params& params) {
  const auto a = admin_caller(app, req);
  const auto u = user_admin::find(app, params["name"]);
  return Response::html(
      200, pages::admin_remove_uploads_confirm(site_of(app), u, user_admin::count_uploads(app, u), a.csrf));
}

Response admin_remove_uploads(App& app, Request& req, const Params& params) {
  const auto a = admin_caller(app, req);
  const auto body = req.read_body(kMaxFormBody);
  const auto n = user_admin::remove_uploads(app, a.who, params["name"], form_field(body, "reason"));
  return see_other(app, fmt::format("{}?done=removed&n={}", user_path(params["name"]), n));
}

Response admin_search_page(App& app, Request& req, const Params&) {
  const auto a = admin_caller(app, req);
  const auto q = query_value(req, "q");
  return Response::html(
      200, pages::admin_search(site_of(app), q, admin_area::search_images(app, q), a.csrf, notice_of(req)));
}

Response admin_takedown_from_search(App& app, Request& req, const Params&) {
  const auto a = admin_caller(app, req);
  const auto body = req.read_body(kMaxFormBody);
  moderation::takedown(app, a.who, form_field(body, "target"), form_field(body, "reason"));
  return see_other(app, "/admin/search?q=" + text::url_encode(form_field(body, "q")) + "&done=takedown");
}

Response admin_audit_page(App& app, Request& req, const Params&) {
  admin_caller(app, req);
  const auto p = page_request(app, req.query(), kAuditPerPage, kAuditScope);
  auto rows = moderation::audit(app, p.before, p.limit + 1);
  const auto next = cut_to_page(app, rows, p.limit, kAuditScope, [](const AuditRecord& r) { return r.id; });
  return Response::html(200, pages::admin_audit(site_of(app), rows, next, !p.before));
}

}  // namespace imghost::handlers
