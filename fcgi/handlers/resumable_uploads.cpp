// /api/v1/uploads: resumable uploads, tus 1.0.0 (core, creation, termination, checksum,
// expiration).  The headers are tus's; the flows are core/resumable_upload.hpp's.
//
// Every answer carries Tus-Resumable (nginx adds it to this location's answers, the
// worker's errors and nginx's own included).  A request that names another version of
// the protocol is 412 with the version spoken; one that names none is taken as 1.0.0
// only for GET, which is this API's own (the outcome of a finished upload).
#include <fmt/format.h>

#include <charconv>
#include <map>

#include "base/base64.hpp"
#include "core/catalog.hpp"
#include "core/resumable_upload.hpp"
#include "domain/error.hpp"
#include "domain/translate.hpp"
#include "handlers/auth.hpp"
#include "handlers/handlers.hpp"
#include "render/json.hpp"

namespace imghost::handlers {
namespace {

constexpr std::string_view kVersion = "1.0.0";

Response tus_answer(int status) {
  Response r;
  r.status = status;
  r.header("Cache-Control", "no-store");
  return r;
}

Response tus_error(int status, std::string_view code, const std::string& message) {
  auto r = Response::json(status, views::error_json(std::string(code), message));
  r.header("Cache-Control", "no-store");
  return r;
}

// The 412 answer when the request speaks another version of tus; nullopt when it speaks
// ours (or, with `optional`, none).
std::optional<Response> version_mismatch(const Request& req, bool optional = false) {
  const auto v = req.header("Tus-Resumable");
  if (v == kVersion || (optional && v.empty())) return std::nullopt;
  auto r = tus_error(412, "unsupported_version", i18n::tr("this server speaks tus 1.0.0 (header Tus-Resumable)"));
  r.header("Tus-Version", std::string(kVersion));
  return r;
}

// A header that must hold a non-negative decimal number.
long long number_header(const Request& req, std::string_view name) {
  const auto v = req.header(name);
  long long n = -1;
  const auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
  if (v.empty() || ec != std::errc() || p != v.data() + v.size() || n < 0)
    throw errors::bad_request(i18n::trf("{} must be a number of bytes", name));
  return n;
}

// Upload-Metadata: "key base64value,key2 base64value2" (a key alone has an empty value).
std::map<std::string, std::string> parse_metadata(std::string_view header) {
  std::map<std::string, std::string> out;
  while (!header.empty()) {
    const auto comma = header.find(',');
    auto pair = header.substr(0, comma);
    header = comma == std::string_view::npos ? std::string_view() : header.substr(comma + 1);
    while (!pair.empty() && pair.front() == ' ') pair.remove_prefix(1);
    while (!pair.empty() && pair.back() == ' ') pair.remove_suffix(1);
    if (pair.empty()) continue;
    const auto space = pair.find(' ');
    const std::string key(pair.substr(0, space));
    std::optional<std::string> value = std::string();
    if (space != std::string_view::npos) value = base64::decode(pair.substr(space + 1));
    if (!value) throw errors::bad_request(i18n::trf("Upload-Metadata: the value of {} is not base64", key));
    if (!out.emplace(key, std::move(*value)).second)
      throw errors::bad_request(i18n::trf("Upload-Metadata: {} is given twice", key));
  }
  return out;
}

// Upload-Checksum: "<algorithm> <base64 digest>".
std::optional<resumable::Checksum> parse_checksum(std::string_view header) {
  if (header.empty()) return std::nullopt;
  const auto space = header.find(' ');
  resumable::Checksum c;
  c.algorithm = std::string(header.substr(0, space));
  if (c.algorithm != "sha1" && c.algorithm != "sha256")
    throw errors::bad_request(i18n::tr("Upload-Checksum: the algorithms are sha1 and sha256"));
  const auto digest = space == std::string_view::npos ? std::nullopt : base64::decode(header.substr(space + 1));
  if (!digest || digest->size() != (c.algorithm == "sha1" ? 20u : 32u))
    throw errors::bad_request(i18n::tr("Upload-Checksum: the digest is not base64 of the algorithm's size"));
  c.digest = *digest;
  return c;
}

std::string upload_url(const App& app, const std::string& key) { return app.base_url() + "/api/v1/uploads/" + key; }

}  // namespace

Response tus_options(App& app, Request&, const Params&) {
  auto r = tus_answer(204);
  r.header("Tus-Version", std::string(kVersion));
  r.header("Tus-Extension", "creation,termination,checksum,expiration");
  r.header("Tus-Max-Size", std::to_string(resumable::max_size(app.config())));
  r.header("Tus-Checksum-Algorithm", "sha1,sha256");
  return r;
}

Response tus_create(App& app, Request& req, const Params&) {
  if (auto bad = version_mismatch(req)) return *bad;
  if (!req.header("Upload-Defer-Length").empty())
    throw errors::bad_request(i18n::tr("Upload-Length is needed: deferred lengths are not supported"));
  if (!req.header("Content-Length").empty() && req.header("Content-Length") != "0")
    throw errors::bad_request(i18n::tr("a body with the creation is not supported: send it with PATCH"));
  const auto caller = identify(app, req);
  const auto length = number_header(req, "Upload-Length");
  const auto created = resumable::create(app, caller.user(), length, parse_metadata(req.header("Upload-Metadata")),
                                         std::string(req.header("X-Manage-Token")));
  auto r = tus_answer(201);
  r.header("Location", upload_url(app, created.key));
  r.header("Upload-Expires", created.status.expires_http);
  r.header("Upload-Offset", "0");
  return r;
}

// HEAD (tus: how far it is) and GET (the outcome once complete).
Response tus_status(App& app, Request& req, const Params& params) {
  const bool head = req.method() == "HEAD";
  if (auto bad = version_mismatch(req, !head)) return *bad;
  const auto caller = identify(app, req);
  const auto s = resumable::find(app, caller.user(), params["id"]);
  if (head) {
    auto r = tus_answer(200);
    const bool done = s.image_id || s.refusal;
    r.header("Upload-Offset", std::to_string(done ? s.length : s.received));
    r.header("Upload-Length", std::to_string(s.length));
    r.header("Upload-Expires", s.expires_http);
    return r;
  }
  if (s.refusal) throw *s.refusal;
  if (!s.image_id)
    throw errors::conflict(i18n::trf("this upload is not complete: {} of {} bytes received", s.received, s.length));
  auto r = Response::json(200, views::dump(views::image_json(catalog::find_live(app, *s.image_id), app.base_url())));
  r.header("Cache-Control", "no-store");
  return r;
}

Response tus_append(App& app, Request& req, const Params& params) {
  if (auto bad = version_mismatch(req)) return *bad;
  const auto caller = identify(app, req);
  // A browser's session needs its CSRF token here too, in the header (the body is file
  // bytes, never read for a field).
  if (csrf_field_needed(caller, req)) throw errors::forbidden(i18n::tr("missing CSRF token: reload the page"));
  if (req.header("Content-Type") != "application/offset+octet-stream")
    throw errors::unsupported_format(i18n::tr("a PATCH body is sent as application/offset+octet-stream"));
  const auto offset = number_header(req, "Upload-Offset");
  const auto checksum = parse_checksum(req.header("Upload-Checksum"));
  try {
    const auto done = resumable::append(
        app, caller.user(), params["id"], offset, checksum,
        [&](std::uint64_t max, const std::function<void(std::string_view)>& sink) { req.read_body_pieces(max, sink); },
        std::string(req.header("X-Manage-Token")));
    auto r = tus_answer(204);
    r.header("Upload-Offset", std::to_string(done.offset));
    if (done.image_id) r.header("Imghost-Image-Id", *done.image_id);
    if (done.delete_token) r.header("Imghost-Delete-Token", *done.delete_token);
    return r;
  } catch (const resumable::ChecksumMismatch&) {
    return tus_error(460, "checksum_mismatch", i18n::tr("the piece's checksum does not match: send it again"));
  }
}

Response tus_abandon(App& app, Request& req, const Params& params) {
  if (auto bad = version_mismatch(req)) return *bad;
  const auto caller = identify(app, req);
  resumable::abandon(app, caller.user(), params["id"]);
  return tus_answer(204);
}

}  // namespace imghost::handlers
