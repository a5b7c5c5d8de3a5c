// The moderation API: reports from anyone, and the admin's routes, which answer 404 to
// everyone who is not an admin (core/moderation.hpp: require_admin) before they read a
// parameter, so a non-admin learns nothing of them.
#include <fmt/format.h>

#include <charconv>

#include "base/text.hpp"
#include "core/moderation.hpp"
#include "domain/error.hpp"
#include "handlers/auth.hpp"
#include "handlers/handlers.hpp"
#include "handlers/json_members.hpp"
#include "render/json.hpp"
#include "render/moderation_json.hpp"

namespace imghost::handlers {
namespace {

constexpr int kDefaultLimit = 20;
constexpr std::string_view kReportsScope = "admin reports";
constexpr std::string_view kAuditScope = "admin audit";

// A string member; "" when absent or null (the flows say which are required).
std::string string_member(const nlohmann::json& body, const char* key) {
  return optional_string(body, key).value_or("");
}

// One page of a list keyed by its records' ids: {"items", "next_cursor"}.
template <class Record, class ToJson>
Response page_json(App& app, std::vector<Record> rows, int limit, std::string_view scope, ToJson to_json) {
  const auto next = cut_to_page(app, rows, limit, scope, [](const Record& r) { return r.id; });
  auto items = nlohmann::json::array();
  for (const auto& r : rows) items.push_back(to_json(r));
  return Response::json(200, views::dump({{"items", std::move(items)},
                                          {"next_cursor", next ? nlohmann::json(*next) : nlohmann::json(nullptr)}}));
}

}  // namespace

Response create_report(App& app, Request& req, const Params&) {
  const auto caller = identify(app, req);
  const auto body = object_body(req);
  moderation::NewReport r{string_member(body, "target"), string_member(body, "reason"), string_member(body, "details")};
  if (r.target.empty()) throw errors::bad_request(i18n::msg("target (an image or album id) is required"));
  const auto id = moderation::report(app, r, caller.account ? std::optional(caller.account->id) : std::nullopt);
  return Response::json(201, views::dump({{"id", std::to_string(id)}, {"target", r.target}, {"reason", r.reason}}));
}

Response admin_reports(App& app, Request& req, const Params&) {
  moderation::require_admin(identify(app, req));
  const auto p = page_request(app, req.query(), kDefaultLimit, kReportsScope);
  return page_json(app, moderation::open_reports(app, p.before, p.limit + 1), p.limit, kReportsScope,
                   views::report_json);
}

Response admin_takedown(App& app, Request& req, const Params&) {
  const auto who = moderation::require_admin(identify(app, req));
  const auto body = object_body(req);
  const auto t = moderation::takedown(app, who, string_member(body, "target"), string_member(body, "reason"));
  return Response::json(201, views::dump(views::takedown_json(t)));
}

Response admin_block(App& app, Request& req, const Params&) {
  const auto who = moderation::require_admin(identify(app, req));
  const auto body = object_body(req);
  const auto b = moderation::block(
      app, who, {optional_string(body, "target"), optional_string(body, "sha256"), string_member(body, "reason")});
  return Response::json(201, views::dump(views::block_json(b)));
}

Response admin_unblock(App& app, Request& req, const Params& params) {
  const auto who = moderation::require_admin(identify(app, req));
  const auto& id_text = params["id"];
  long long id = 0;
  const auto [end, ec] = std::from_chars(id_text.data(), id_text.data() + id_text.size(), id);
  if (ec != std::errc() || end != id_text.data() + id_text.size() || id <= 0)
    throw errors::not_found(i18n::msg("no such block"));
  // The reason travels in the query (a DELETE has no body for many clients), or in a
  // JSON body when there is one.
  std::string reason;
  text::query_param(req.query(), "reason", reason);
  if (reason.empty() && !req.header("Content-Type").empty()) reason = string_member(object_body(req), "reason");
  moderation::unblock(app, who, id, reason);
  Response r;
  r.status = 204;
  return r;
}

Response admin_audit(App& app, Request& req, const Params&) {
  moderation::require_admin(identify(app, req));
  const auto p = page_request(app, req.query(), kDefaultLimit, kAuditScope);
  return page_json(app, moderation::audit(app, p.before, p.limit + 1), p.limit, kAuditScope, views::audit_json);
}

}  // namespace imghost::handlers
