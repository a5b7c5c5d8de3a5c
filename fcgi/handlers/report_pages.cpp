// The browser's report form, /report/{id}: GET shows it, POST files the report and
// thanks (or shows the form again with the refusal).  nginx rate-limits the POSTs.
#include "core/accounts.hpp"
#include "core/moderation.hpp"
#include "domain/error.hpp"
#include "handlers/auth.hpp"
#include "handlers/handlers.hpp"
#include "http/status.hpp"
#include "render/moderation_pages.hpp"

namespace imghost::handlers {
namespace {

std::string csrf_of(const Caller& c) {
  return c.via == Caller::Via::session ? accounts::csrf_token(c.session_id) : std::string();
}

}  // namespace

Response report_page(App& app, Request& req, const Params& params) {
  const auto& id = params["id"];
  const auto kind = moderation::report_target(app, id);
  return Response::html(200, pages::report_form(site_of(app), id, kind, csrf_of(identify(app, req))));
}

Response report_from_form(App& app, Request& req, const Params& params) {
  const auto& id = params["id"];
  const auto caller = identify(app, req);
  const auto kind = moderation::report_target(app, id);
  const auto body = req.read_body(64 << 10);
  try {
    moderation::report(app, {id, form_field(body, "reason"), form_field(body, "details")},
                       caller.account ? std::optional(caller.account->id) : std::nullopt);
  } catch (const Error& e) {
    if (e.code() != ErrorCode::bad_request) throw;
    return Response::html(400, pages::report_form(site_of(app), id, kind, csrf_of(caller), e.what()));
  }
  return Response::html(201, pages::report_sent(site_of(app), id, kind));
}

}  // namespace imghost::handlers
