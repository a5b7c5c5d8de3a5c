#include "server/worker.hpp"

#include <fmt/format.h>
#include <signal.h>

#include <atomic>
#include <cerrno>
#include <cstring>
#include <optional>
#include <system_error>

#include "base/allocator.hpp"
#include "base/text.hpp"
#include "db/pg.hpp"
#include "domain/error.hpp"
#include "domain/translate.hpp"
#include "handlers/handlers.hpp"
#include "handlers/router.hpp"
#include "http/cookies.hpp"
#include "http/language.hpp"
#include "http/status.hpp"
#include "metrics/metrics.hpp"
#include "render/json.hpp"
#include "render/pages.hpp"
#include "server/fcgi_request.hpp"

namespace imghost {
namespace {

// A worker resting above this gives its freed memory back after the answer.  A 12-megapixel
// upload with its thumbnail takes a worker to about 27 MiB and its m-sized AVIF to 48;
// a 200 MiB video streams through in 20.  Only larger work (an l-sized AVIF of such a photo:
// 101 MiB) pays for the trim, with page faults the next time it needs that much.
constexpr std::size_t kRestingMemory = std::size_t{48} << 20;

std::atomic<bool> g_stop{false};
std::atomic<bool> g_reopen{false};
static_assert(std::atomic<bool>::is_always_lock_free);

void on_stop(int) { g_stop = true; }
void on_hup(int) { g_reopen = true; }

void install(int sig, void (*fn)(int)) {
  struct sigaction sa {};
  sa.sa_handler = fn;
  sigemptyset(&sa.sa_mask);
  sa.sa_flags = 0;  // no SA_RESTART: a waiting accept() must return EINTR
  sigaction(sig, &sa, nullptr);
}

http::Response error_response(App& app, const http::Request& req, int status, std::string_view code,
                              const std::string& message) {
  if (handlers::wants_json(req)) return http::Response::json(status, views::error_json(std::string(code), message));
  return http::Response::html(status, pages::error_page(handlers::site_of(app), status, message));
}

// Every page, whichever handler or error made it, goes out with the page security
// headers: the Content-Security-Policy (no inline script, no framing) and a legacy
// X-Frame-Options for browsers without frame-ancestors.  (Response::html already sends
// nosniff and Referrer-Policy.)
http::Response secured(App& app, http::Response r) {
  if (r.header_value("Content-Type").starts_with("text/html")) {
    r.set_header("Content-Security-Policy", pages::content_security_policy(app.config()));
    r.set_header("X-Frame-Options", "DENY");
  }
  return r;
}

// The upload outcome slot of the metrics: 0 stored, 1 + the error code, or internal.
std::size_t outcome_of(std::optional<ErrorCode> code, bool internal) {
  if (internal) return metrics::kOutcomeSlots - 1;
  return code ? 1 + static_cast<std::size_t>(*code) : 0;
}

// The path as the log shows it.  A resumable upload's key (its URL's last segment) is
// its anonymous creator's only proof: never written to the log.
std::string logged_path(const http::Request& req) {
  constexpr std::string_view kUploads = "/api/v1/uploads/";
  const auto p = req.path();
  if (p.starts_with(kUploads) && p.size() > kUploads.size()) return std::string(kUploads) + "...";
  return std::string(p);
}

http::Response respond(App& app, http::Request& req, const handlers::Route*& route, std::size_t& outcome) {
  try {
    auto r = handlers::dispatch(app, req, &route);
    outcome = outcome_of(std::nullopt, r.status >= 500);
    return r;
  } catch (const Error& e) {
    const int status = http::status_of(e.code());
    outcome = outcome_of(e.code(), false);
    app.log().error(fmt::format("{} ({} {}, {} {}).", e.message().in(app.config().log_language), status,
                                code_name(e.code()), req.method(), logged_path(req)));
    return error_response(app, req, status, code_name(e.code()), e.message().str());
  } catch (const db::DbError& e) {
    outcome = outcome_of(ErrorCode::unavailable, false);
    if (e.connection_lost()) app.drop_db();
    app.log().error(i18n::msg("database unavailable: {} ({} {}).", e.what(), req.method(), logged_path(req)));
    return error_response(app, req, 503, "unavailable",
                          i18n::tr("the database is unavailable, nothing was stored; try again"));
  } catch (const std::system_error& e) {
    outcome = outcome_of(ErrorCode::unavailable, false);
    app.log().error(i18n::msg("image store unavailable: {} ({} {}).", e.what(), req.method(), logged_path(req)));
    return error_response(app, req, 503, "unavailable",
                          i18n::tr("the image store is unavailable, nothing was stored; try again"));
  } catch (const std::exception& e) {
    outcome = outcome_of(std::nullopt, true);
    app.log().error(i18n::msg("internal error: {} ({} {}).", e.what(), req.method(), logged_path(req)));
    return error_response(app, req, 500, "internal", i18n::tr("internal error"));
  }
}

// The request's language (http/language.hpp): the switcher's ?lang=, the cookie, then
// Accept-Language, then default_language.
std::string language_of(const App& app, const http::Request& req, std::string& asked) {
  const auto& c = app.config();
  text::query_param(req.query(), http::kLanguageParam, asked);
  const auto cookie = http::cookie_value(req.header("Cookie"), http::kLanguageCookie).value_or("");
  return http::choose_language(asked, cookie, req.header("Accept-Language"), c.languages, c.default_language);
}

// What the answer says depends on the language, so on the headers that chose it: caches
// (nginx's, a CDN's, the browser's) must keep one copy per language.  A choice made with
// the switcher is remembered for a year.
void mark_language(const App& app, http::Response& r, const std::string& language, const std::string& asked) {
  r.set_header("Content-Language", language);
  r.set_header("Vary", "Accept-Language, Cookie");
  if (asked == language && app.config().languages.size() > 1)
    r.header("Set-Cookie",
             fmt::format("{}={}; Path=/; Max-Age=31536000; SameSite=Lax", http::kLanguageCookie, language));
}

}  // namespace

http::Response handle(App& app, http::Request& req) noexcept {
  try {
    metrics::set_busy(true);
    const handlers::Route* route = nullptr;
    std::size_t outcome = 0;
    std::string asked;
    const i18n::Scope in_language(language_of(app, req, asked));
    auto r = secured(app, respond(app, req, route, outcome));
    mark_language(app, r, std::string(i18n::language()), asked);  // English when a catalog is missing
    const auto table = handlers::routes();
    const std::size_t index = route ? static_cast<std::size_t>(route - table.data()) : metrics::kMaxRoutes - 1;
    metrics::count_request(index, r.status);
    if (route && (route->flags & handlers::kUploadBody) && req.method() == "POST") metrics::count_upload(outcome);
    metrics::set_busy(false);
    return r;
  } catch (...) {
    // Building the error response itself failed (out of memory): the bare minimum.
    metrics::set_busy(false);
    http::Response r;
    r.status = 500;
    return r;
  }
}

int run_worker(App& app, int listen_fd) {
  std::optional<FcgiListener> listener;
  try {
    listener.emplace(listen_fd);  // before our handlers: libfcgi installs its own
  } catch (const std::exception& e) {
    std::fprintf(stderr, "imghost: %s\n", e.what());
    return 1;
  }
  install(SIGTERM, on_stop);
  install(SIGINT, on_stop);
  install(SIGHUP, on_hup);
  signal(SIGPIPE, SIG_IGN);  // a client gone mid-response is an EPIPE, not a death

  sigset_t handled;
  sigemptyset(&handled);
  sigaddset(&handled, SIGTERM);
  sigaddset(&handled, SIGINT);
  sigaddset(&handled, SIGHUP);
  sigprocmask(SIG_BLOCK, &handled, nullptr);

  for (;;) {
    // Signals are let in only here, while waiting.  One arriving between the check and
    // accept() would be missed until the next connection; the supervisor repeats its
    // SIGTERM until the worker is gone, which closes that window.
    sigprocmask(SIG_UNBLOCK, &handled, nullptr);
    if (g_stop) break;
    if (g_reopen.exchange(false)) app.log().reopen();
    const int rc = listener->accept();
    sigprocmask(SIG_BLOCK, &handled, nullptr);
    if (rc < 0) {
      if (rc == -EINTR) continue;
      std::fprintf(stderr, "imghost: accept failed: %s\n", std::strerror(-rc));
      break;
    }
    if (g_reopen.exchange(false)) app.log().reopen();
    {
      FcgiRequest req(listener->request());
      req.send(handle(app, req));
    }
    listener->finish();
    app.run_deferred();  // the client has its answer: now the thumbnails
    base::trim_when_over(kRestingMemory);
  }
  return 0;
}

}  // namespace imghost
