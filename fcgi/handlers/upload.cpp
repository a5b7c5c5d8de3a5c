// POST /upload and POST /api/v1/images: parse, validate every file, then store all of
// them or none.
//
// The body is never held whole: it is read in pieces and pushed through the multipart
// parser, and each file part streams to a staged file of the store while its SHA-256 is
// computed.  Then the files are checked one at a time, in request order, each read back
// into memory for the decode (ImageMagick reads a blob) and released before the next:
// a request of 20 files of 5 MiB holds one file's bytes (and its stripped copy) at a
// time.  Errors keep the order of a whole-body parse: a missing or wrong CSRF field
// first (handlers/auth.hpp: it must come before the files), then a malformed body, then
// the description and the visibility, then the number of files (files past max_files
// are counted but never written to disk), then each file in turn.
#include <fmt/format.h>

#include "base/text.hpp"
#include "core/incoming_file.hpp"
#include "core/ingest.hpp"
#include "core/upload_admission.hpp"
#include "core/upload_validation.hpp"
#include "domain/error.hpp"
#include "domain/free_text.hpp"
#include "domain/image_format.hpp"
#include "handlers/auth.hpp"
#include "handlers/handlers.hpp"
#include "handlers/router.hpp"
#include "http/multipart.hpp"
#include "render/json.hpp"
#include "render/units.hpp"

namespace imghost::handlers {
namespace {

// A description longer than this many bytes cannot be 1000 characters (UTF-8 takes at
// most 4 bytes each): what comes past it is not kept.
constexpr std::size_t kMaxDescriptionBytes = 4 * kMaxDescriptionChars;

// The longest visibility value kept: enough for either name, and for a wrong one to be
// refused as such.
constexpr std::size_t kMaxVisibilityBytes = 32;
constexpr std::size_t kMaxShortFieldBytes = 64;
// The form's album title: at most kMaxTitleChars characters, so at most 4 bytes each.
constexpr std::size_t kMaxAlbumTitleBytes = 4 * kMaxTitleChars;

// One "file" part as it streamed in.
struct FilePart {
  std::size_t index = 0;                // 1-based among the request's "file" parts
  std::optional<std::string> filename;  // as sent
  IncomingFile file;                    // staged and hashed as it streams
  std::uint64_t size = 0;
  bool too_large = false;  // over the file limit: its bytes past that were not kept
  bool not_kept = false;   // past max_files: counted, never staged (the request is refused)

  // A browser sends an empty, nameless part when no file was chosen: not a file sent.
  bool sent() const { return size > 0 || !filename.value_or("").empty(); }
};

// Receives the parts: file parts go to staged files, the first description is kept, any
// other field is ignored.  When the body must carry the session's CSRF token (a form
// sent without the script), the field `csrf` must come before the first file: a wrong
// token is refused as its part ends, a file part before it as it begins, so nothing of
// a forged upload is staged and its body is read no further.
class FormSink final : public multipart::PartSink {
 public:
  FormSink(const App& app, std::uint64_t max_file_bytes, std::size_t max_files, std::optional<std::string> csrf_session)
      : app_(app), max_file_(max_file_bytes), max_files_(max_files), csrf_session_(std::move(csrf_session)) {}

  std::vector<FilePart> files;
  std::optional<std::string> description;
  bool description_too_long = false;
  std::optional<std::string> visibility;  // the first field's value, at most kMaxVisibilityBytes + 1
  // The first value of each short field (expires_in, album, manage_token, and the form's
  // new_album checkbox), at most kMaxShortFieldBytes + 1 bytes: enough for any valid
  // value, and for a wrong one to be refused as such.
  std::optional<std::string> expires_in, album, manage_token, new_album;
  // The form's album_title, at most kMaxAlbumTitleBytes + 1 bytes.
  std::optional<std::string> album_title;
  // The first `csrf` field, at most kMaxShortFieldBytes + 1 bytes.
  std::optional<std::string> csrf;

  // Throws forbidden when the body had to carry the CSRF token and has not so far.
  void check_csrf_seen() const {
    if (csrf_session_ && !csrf_checked_) throw_csrf_field_missing();
  }

  void part_begin(const multipart::Part& p) override {
    current_ = Current::ignored;
    if (p.name == "file") {
      check_csrf_seen();
      // Files past max_files are not written to disk: the request is refused by its count.
      const bool room = sent_ < max_files_;
      files.emplace_back();
      files.back().index = files.size();
      files.back().filename = p.filename;
      files.back().not_kept = !room;
      current_ = Current::file;
    } else if (p.name == "description" && !p.filename && !description) {
      description.emplace();
      current_ = Current::description;
    } else if (p.name == "visibility" && !p.filename && !visibility) {
      visibility.emplace();
      current_ = Current::visibility;
    } else if (auto* field = short_field(p.name); field && !p.filename && !*field) {
      field->emplace();
      short_ = field;
      short_max_ = p.name == "album_title" ? kMaxAlbumTitleBytes : kMaxShortFieldBytes;
      current_ = Current::short_field;
    }
  }

  void part_data(std::string_view bytes) override {
    if (current_ == Current::description) {
      const std::size_t room = kMaxDescriptionBytes + 1 - description->size();
      if (bytes.size() > room) description_too_long = true;
      description->append(bytes.substr(0, room));
      return;
    }
    if (current_ == Current::visibility) {
      visibility->append(bytes.substr(0, kMaxVisibilityBytes + 1 - visibility->size()));
      return;
    }
    if (current_ == Current::short_field) {
      (*short_)->append(bytes.substr(0, short_max_ + 1 - (*short_)->size()));
      return;
    }
    if (current_ != Current::file) return;
    FilePart& f = files.back();
    f.size += bytes.size();
    if (f.too_large || f.not_kept) return;
    if (f.size > max_file_) {
      // Nothing more of it is kept: the request is refused once the body is read.
      f.too_large = true;
      f.file.drop();
      return;
    }
    f.file.write(app_, bytes);
  }

  void part_end() override {
    if (current_ == Current::short_field && short_ == &csrf && csrf_session_) {
      check_csrf_field(*csrf_session_, *csrf);
      csrf_checked_ = true;
    }
    if (current_ == Current::file) {
      FilePart& f = files.back();
      f.file.finish();
      if (f.sent()) ++sent_;
    }
    current_ = Current::ignored;
  }

 private:
  enum class Current { ignored, file, description, visibility, short_field };
  std::optional<std::string>* short_field(std::string_view name) {
    if (name == "expires_in") return &expires_in;
    if (name == "album") return &album;
    if (name == "manage_token") return &manage_token;
    if (name == "new_album") return &new_album;
    if (name == "album_title") return &album_title;
    if (name == "csrf") return &csrf;
    return nullptr;
  }
  std::optional<std::string>* short_ = nullptr;
  std::size_t short_max_ = kMaxShortFieldBytes;
  const App& app_;
  std::uint64_t max_file_;
  std::size_t max_files_;
  std::optional<std::string> csrf_session_;  // whose CSRF token the body must carry, if any
  bool csrf_checked_ = false;                // its `csrf` field has come and matched
  std::size_t sent_ = 0;                     // file parts ended so far that count as sent
  Current current_ = Current::ignored;
};

// The form's description, checked as every description is (domain/free_text.hpp).
std::optional<std::string> description_of(const FormSink& form) {
  if (!form.description) return std::nullopt;
  if (form.description_too_long)
    throw errors::bad_request(i18n::msg("description is longer than {} characters", kMaxDescriptionChars));
  return checked_free_text(*form.description, "description", kMaxDescriptionChars);
}

// The `visibility` field, or the configured default when the request has none.
Visibility checked_visibility(const FormSink& form, Visibility fallback) {
  if (!form.visibility) return fallback;
  const auto v = parse_visibility(*form.visibility);
  if (!v) throw errors::bad_request(i18n::msg("visibility must be public or unlisted"));
  return *v;
}

// Which route an upload came by: the form's (POST /upload, answered with a page or, to
// the page's script, JSON), the API's, or the API's into the album of the path.
struct UploadRoute {
  bool json = true;
  bool form = false;
  std::string album_id;  // from the path; "" when none
};

Response upload(App& app, Request& req, const UploadRoute& route) {
  const bool json = route.json;
  const auto& cfg = app.config();
  // Who uploads, before the body is read: a bad token or a closed door costs nothing.
  const auto caller = identify(app, req);
  const std::string header_token(req.header("X-Manage-Token"));
  auto album = admit_upload(app, caller.user(), route.album_id, header_token);
  const auto boundary = multipart::boundary_from_content_type(req.header("Content-Type"));
  if (!boundary) throw errors::bad_request(i18n::msg("expected a multipart/form-data body with a boundary"));

  // Files stream in up to the larger of the image and video limits; which one applies
  // is known from the content (core/upload_validation.hpp checks it).
  const std::uint64_t max_file = std::max(cfg.max_file_bytes, cfg.video.accepted.empty() ? 0 : cfg.video.max_bytes);
  FormSink form(app, max_file, cfg.max_files, csrf_field_needed(caller, req));
  std::uint64_t body_bytes = 0;
  try {
    multipart::Parser parser(*boundary, form);
    req.read_body_pieces(cfg.max_request_bytes, [&](std::string_view piece) {
      body_bytes += piece.size();
      parser.feed(piece);
    });
    if (body_bytes == 0) throw errors::bad_request(i18n::msg("the request body is empty"));
    parser.finish();
  } catch (const multipart::ParseError& e) {
    form.check_csrf_seen();  // a body without its token is refused as such, whatever else is wrong
    throw errors::bad_request(i18n::msg("malformed multipart body: {}", e.what()));
  }
  form.check_csrf_seen();
  const auto description = description_of(form);
  const auto visibility = checked_visibility(form, cfg.default_visibility);
  PlacementRequest where;
  where.album = std::move(album);
  // The form's "Keep for" offers "never" as an empty value; the API has no such value.
  if (form.expires_in && !(route.form && form.expires_in->empty())) where.expires_in = form.expires_in;
  // The form's "Make these files an album" without the script (which creates its album
  // through the API first).  Only for the form's page answer, which shows the album (and
  // an anonymous album's manage token); a JSON answer is the API's, which has no such
  // field and ignores it.
  where.new_album = route.form && !json && form.new_album && !form.new_album->empty();
  where.album_title = form.album_title;
  where.album_field = form.album.value_or("");
  where.header_token = header_token;
  where.field_token = form.manage_token.value_or("");
  where.visibility = visibility;
  const auto destination = place_upload(app, caller.user(), std::move(where));

  // The count first: a request over it is refused before any file is decoded.
  std::size_t sent = 0;
  for (const FilePart& f : form.files)
    if (f.sent()) ++sent;
  if (sent > cfg.max_files)
    throw errors::too_large(
        i18n::msg("this upload has {} files; at most {} files may be sent at once", sent, cfg.max_files));

  std::vector<Candidate> files;
  for (FilePart& f : form.files) {
    if (!f.sent()) continue;
    std::string filename = text::clean_filename(f.filename.value_or(""));
    const std::string shown = filename.empty() ? fmt::format("file {}", f.index) : filename;
    if (f.too_large)
      throw errors::too_large(i18n::msg("{} is over the limit of {} per file", shown, units::human_size(max_file)));
    if (f.size == 0)
      throw errors::unsupported_format(
          i18n::msg("{} is empty, not a {} image", shown, image::describe(cfg.image.accepted)));
    files.push_back(candidate_of(app, f.file, filename, shown));
    f.file.release();  // this upload's own staged file, if not taken, goes now
  }
  if (files.empty()) throw errors::bad_request(i18n::msg("no file: send at least one image in the field 'file'"));

  const auto stored = ingest(app, files, description, visibility,
                             caller.account ? Uploader{caller.account->id, caller.account->username} : Uploader{},
                             destination.placement);
  for (const auto& s : stored) {
    const auto& r = s.record;
    // In the log's language: "Success: image img1.jpg uploaded as ….", "Успех: изображение
    // img1.jpg загружено как …." (the seed project's line, with what imghost adds).
    const auto file = r.original_filename.empty() ? i18n::msg("(unnamed)") : i18n::Message(r.original_filename);
    const auto bytes = static_cast<long>(r.size);
    if (r.owner)
      app.log().success(i18n::msgn("image {} uploaded as {} ({} byte) by {}.",
                                   "image {} uploaded as {} ({} bytes) by {}.", bytes, file, r.name, r.size, *r.owner));
    else
      app.log().success(i18n::msgn("image {} uploaded as {} ({} byte).", "image {} uploaded as {} ({} bytes).", bytes,
                                   file, r.name, r.size));
  }
  if (destination.made) {
    if (caller.account)
      app.log().success(i18n::msg("album {} created by {}.", destination.made->id, caller.account->username));
    else
      app.log().success(i18n::msg("album {} created.", destination.made->id));
  }

  // The form's answer is a redirect to a page that can be reloaded and bookmarked
  // without uploading again (uploaded.cpp).
  if (!json) return see_uploaded(app, stored, destination.made);
  if (stored.size() == 1)
    return Response::json(201,
                          views::dump(views::uploaded_json(stored[0].record, stored[0].delete_token, app.base_url())));
  nlohmann::json items = nlohmann::json::array();
  for (const auto& s : stored) items.push_back(views::uploaded_json(s.record, s.delete_token, app.base_url()));
  return Response::json(201, views::dump({{"items", std::move(items)}}));
}

}  // namespace

Response upload_from_form(App& app, Request& req, const Params&) {
  return upload(app, req, {wants_json(req), true, ""});
}

Response upload_api(App& app, Request& req, const Params&) { return upload(app, req, {true, false, ""}); }

Response upload_into_album(App& app, Request& req, const Params& params) {
  // An empty {id} cannot match a route; "" would mean "no album" to upload().
  return upload(app, req, {true, false, params["id"]});
}

}  // namespace imghost::handlers
