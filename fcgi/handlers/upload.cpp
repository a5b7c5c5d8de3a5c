// POST /upload and POST /api/v1/images: parse, validate every file, then store all of
// them or none.
#include <fmt/format.h>

#include "base/text.hpp"
#include "core/error.hpp"
#include "core/ingest.hpp"
#include "handlers/auth.hpp"
#include "handlers/handlers.hpp"
#include "handlers/router.hpp"
#include "http/multipart.hpp"
#include "image/inspect.hpp"
#include "image/png_chunks.hpp"
#include "image/strip_metadata.hpp"
#include "metrics/metrics.hpp"
#include "render/json.hpp"
#include "render/units.hpp"

namespace imghost::handlers {
namespace {

constexpr std::size_t kMaxDescriptionChars = 1000;

std::optional<std::string> description_of(const std::vector<multipart::Part>& parts) {
  for (const auto& p : parts)
    if (p.name == "description" && !p.filename) return checked_description(p.body);
  return std::nullopt;
}

// The `visibility` field, or the configured default when the request has none.
Visibility visibility_of(const std::vector<multipart::Part>& parts, Visibility fallback) {
  for (const auto& p : parts) {
    if (p.name != "visibility" || p.filename) continue;
    const auto v = parse_visibility(p.body);
    if (!v) throw errors::bad_request("visibility must be public or unlisted");
    return *v;
  }
  return fallback;
}

Response upload(App& app, Request& req, bool json) {
  const auto& cfg = app.config();
  // Who uploads, before the body is read: a bad token or a closed door costs nothing.
  const auto caller = identify(app, req);
  if (!caller.account && !cfg.anonymous_uploads)
    throw errors::unauthorized("uploads need an account here: log in or send 'Authorization: Bearer <token>'");
  const auto boundary = multipart::boundary_from_content_type(req.header("Content-Type"));
  if (!boundary) throw errors::bad_request("expected a multipart/form-data body with a boundary");
  const std::string body = req.read_body(cfg.max_request_bytes);
  if (body.empty()) throw errors::bad_request("the request body is empty");

  std::vector<multipart::Part> parts;
  try {
    parts = multipart::parse(body, *boundary);
  } catch (const multipart::ParseError& e) {
    throw errors::bad_request(fmt::format("malformed multipart body: {}", e.what()));
  }
  const auto description = description_of(parts);
  const auto visibility = visibility_of(parts, cfg.default_visibility);

  // The count first: a request over it is refused before any file is decoded.
  std::size_t sent = 0;
  for (const auto& p : parts)
    if (p.name == "file" && !(p.body.empty() && p.filename.value_or("").empty())) ++sent;
  if (sent > cfg.max_files)
    throw errors::too_large(
        fmt::format("this upload has {} files; at most {} files may be sent at once", sent, cfg.max_files));

  std::vector<Candidate> files;
  std::size_t index = 0;
  for (const auto& p : parts) {
    if (p.name != "file") continue;
    ++index;
    // A browser sends an empty, nameless part when no file was chosen.
    if (p.body.empty() && p.filename.value_or("").empty()) continue;
    std::string filename = text::clean_filename(p.filename.value_or(""));
    const std::string shown = filename.empty() ? fmt::format("file {}", index) : filename;
    if (p.body.size() > cfg.max_file_bytes)
      throw errors::too_large(
          fmt::format("{} is over the limit of {} per file", shown, units::human_size(cfg.max_file_bytes)));
    if (p.body.empty())
      throw errors::unsupported_format(
          fmt::format("{} is empty, not a {} image", shown, image::describe(cfg.image.accepted)));
    try {
      auto inspected = [&] {
        metrics::Timer t(metrics::Histogram::decode);
        return image::inspect(p.body, cfg.image);
      }();
      // Pixels are never touched: only metadata segments are dropped, byte for byte.
      std::string stored = cfg.strip_metadata ? image::strip_metadata(p.body, inspected.format) : std::string(p.body);
      // Browsers inflate what is stored: never a decompression bomb, whatever
      // strip_metadata kept (its iCCP; with strip_metadata = false, text chunks too).
      if (inspected.format == image::Format::png)
        if (auto bomb = image::find_png_bomb(stored))
          throw image::Rejection(image::Rejection::Reason::invalid_image, *bomb);
      files.push_back({std::move(filename), std::move(stored), std::move(inspected)});
    } catch (const image::Rejection& r) {
      const auto msg = fmt::format("{} {}", shown, r.what());
      switch (r.reason) {
        case image::Rejection::Reason::unsupported_format: throw errors::unsupported_format(msg);
        case image::Rejection::Reason::invalid_image: throw errors::invalid_image(msg);
        // 503, not 413: the file is within every limit (its header was checked before the
        // decode), the server ran short of memory, map or disk for it (e.g. a full
        // temporary folder): the same request may well succeed later.
        case image::Rejection::Reason::out_of_resources: throw errors::unavailable(msg);
      }
      throw;
    }
  }
  if (files.empty()) throw errors::bad_request("no file: send at least one image in the field 'file'");

  const auto stored = ingest(app, files, description, visibility,
                             Uploader{caller.account ? caller.account->id : std::optional<long long>()});
  for (const auto& s : stored) {
    const auto& r = s.record;
    const auto by = r.owner ? fmt::format(" by {}", *r.owner) : std::string();
    app.log().success(fmt::format("image {} uploaded as {} ({} bytes){}.",
                                  r.original_filename.empty() ? "(unnamed)" : r.original_filename, r.name, r.size, by));
  }

  // The form's answer is a redirect to a page that can be reloaded and bookmarked
  // without uploading again (uploaded.cpp).
  if (!json) return see_uploaded(app, stored);
  if (stored.size() == 1)
    return Response::json(201,
                          views::dump(views::uploaded_json(stored[0].record, stored[0].delete_token, app.base_url())));
  nlohmann::json items = nlohmann::json::array();
  for (const auto& s : stored) items.push_back(views::uploaded_json(s.record, s.delete_token, app.base_url()));
  return Response::json(201, views::dump({{"items", std::move(items)}}));
}

}  // namespace

std::optional<std::string> checked_description(std::string_view text) {
  if (!text::is_valid_utf8(text)) throw errors::bad_request("description is not valid UTF-8");
  if (const auto c = text::first_forbidden_control(text))
    throw errors::bad_request(
        fmt::format("description holds a control character (U+{:04X})", static_cast<unsigned>(*c)));
  if (text::utf8_length(text) > kMaxDescriptionChars)
    throw errors::bad_request(fmt::format("description is longer than {} characters", kMaxDescriptionChars));
  if (text.find_first_not_of(" \t\r\n") == std::string_view::npos) return std::nullopt;
  return std::string(text);
}

Response upload_from_form(App& app, Request& req, const Params&) { return upload(app, req, wants_json(req)); }

Response upload_api(App& app, Request& req, const Params&) { return upload(app, req, true); }

}  // namespace imghost::handlers
