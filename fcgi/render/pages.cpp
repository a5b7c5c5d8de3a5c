#include "render/pages.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "base/text.hpp"
#include "domain/image_format.hpp"
#include "domain/thumbnail_geometry.hpp"
#include "domain/translate.hpp"
#include "render/album_manage.hpp"
#include "render/json.hpp"
#include "render/link_preview.hpp"
#include "render/moderation_pages.hpp"
#include "render/picture.hpp"
#include "render/share_codes.hpp"
#include "render/units.hpp"

namespace imghost::pages {
namespace {

std::string base_of(const Site& site) { return site.config.public_base_url; }

std::string page_url(const Site& site, const std::string& id) { return base_of(site) + "/i/" + id; }

std::string shown_name(const ImageRecord& r) { return r.original_filename.empty() ? r.name : r.original_filename; }

std::string format_name(const ImageRecord& r) {
  const auto f = image::parse_format(r.format);
  return f ? std::string(image::display_name(*f)) : r.format;
}

std::pair<int, int> thumb_size(const Site& site, const ImageRecord& r) {
  const auto [w, h] = fit_within(static_cast<std::uint32_t>(r.width), static_cast<std::uint32_t>(r.height),
                                 site.config.image.thumb_size);
  return {static_cast<int>(w), static_cast<int>(h)};
}

// "1920 × 1080 · JPEG · 2.4 MiB"
std::string meta_line(const ImageRecord& r) {
  return fmt::format("{} × {} · {} · {}", r.width, r.height, format_name(r),
                     units::human_size(static_cast<std::uint64_t>(r.size)));
}

std::string visibility_badge(const ImageRecord& r) {
  return r.visibility == Visibility::public_ ? "<span class=\"badge public\">" + escape(i18n::tr("Public")) + "</span>"
                                             : "<span class=\"badge\">" + escape(i18n::tr("Unlisted")) + "</span>";
}

share_codes::ImageLinks links_of(const Site& site, const ImageRecord& r) {
  const auto base = base_of(site);
  const auto [tw, th] = thumb_size(site, r);
  return {page_url(site, r.id),
          views::image_url(base, r.name),
          views::thumb_url(base, r.name),
          r.description ? share_codes::one_line(*r.description) : shown_name(r),
          r.width,
          r.height,
          tw,
          th,
          r.kind == "video"};
}

// "2026-11-23 10:00 UTC" of "2026-11-23T10:00:00Z".
std::string shown_time(const std::string& iso) {
  if (iso.size() < 16) return iso;
  return iso.substr(0, 10) + " " + iso.substr(11, 5) + " UTC";
}

// One labelled read-only field per code, `id` making the fields' ids unique on a page.
// Without a public base URL the codes hold relative links; `data-paths` lists them (`paths`)
// so the script can make them absolute with the page's own origin (the worker never
// guesses it from the Host header).
std::string code_block_open(const Site& site, const std::vector<std::string>& paths) {
  std::string out = "<div class=\"codes\"";
  if (base_of(site).empty()) {
    std::string joined;
    for (const auto& p : paths) joined += (joined.empty() ? "" : " ") + p;
    out += fmt::format(" data-paths=\"{}\"", escape(joined));
  }
  return out + ">";
}

std::string code_block(const Site& site, const std::string& id, const std::vector<std::string>& paths,
                       const std::vector<share_codes::Code>& list) {
  std::string out = code_block_open(site, paths);
  for (const auto& c : list) {
    out += fmt::format(
        "<div class=\"code\"><label for=\"code-{0}-{1}\">{2}</label>"
        "<input id=\"code-{0}-{1}\" type=\"text\" readonly spellcheck=\"false\" data-code=\"{1}\" value=\"{3}\"></div>",
        escape(id), escape(c.key), escape(c.label), escape(c.value));
  }
  return out + "</div>";
}

// The codes of an image, as its own page and every page that shows it offer them.
std::string code_fields(const Site& site, const std::string& id, const share_codes::ImageLinks& links,
                        const std::vector<share_codes::Code>& list) {
  return code_block(site, id, {links.page, links.image, links.thumb}, list);
}

// "This image expires in 10 minutes (2026-11-23 10:10 UTC)." when it expires, else "".
// `album`: the album's own expiry rather than an image's.
std::string expiry_note(bool album, const std::optional<std::string>& expires_at, std::time_t now) {
  if (!expires_at) return "";
  const auto left = units::seconds_until(*expires_at, now);
  if (!left) return "";
  const auto when =
      fmt::format("<time datetime=\"{}\">{}</time>", escape(*expires_at), escape(units::expires_in(*left)));
  // TRANSLATORS: {0} is "expires in 10 minutes" (or "has expired"), {1} the date and time.
  return "<p class=\"expiry\">" +
         (album ? i18n::trf("This album {0} ({1}).", when, escape(shown_time(*expires_at)))
                : i18n::trf("This image {0} ({1}).", when, escape(shown_time(*expires_at)))) +
         "</p>";
}

// "In the album <a>Holiday</a>." on the pages of the images it holds.
std::string album_note(const Site& site, const std::optional<AlbumLink>& link) {
  if (!link) return "";
  const auto& a = link->album;
  const auto anchor =
      fmt::format("<a href=\"{}\">{}</a>", escape(views::album_url(base_of(site), a.id)), escape(album_title(a)));
  return "<p class=\"album-link\">" + i18n::trf("In the album {}.", anchor) + "</p>";
}

// An anonymous album's manage token, for the browser that created it.
std::string manage_token_field(const std::string& album_id, const std::string& token) {
  return fmt::format(
      "<div class=\"code manage-token\"><label for=\"code-{0}-manage\">{2}</label>"
      "<input id=\"code-{0}-manage\" type=\"text\" readonly spellcheck=\"false\" data-code=\"manage\" "
      "value=\"{1}\"></div>",
      escape(album_id), escape(token),
      escape(i18n::tr("The album's manage token (keep it private: with it, the API closes, reorders or deletes the "
                      "album)")));
}

// The form's "Keep for" choices, those above the configured maximum left out.
std::string keep_for_options(const Config& c) {
  const std::pair<unsigned, std::string> choices[] = {{600, i18n::trnf("{} minute", "{} minutes", 10, 10)},
                                                      {3600, i18n::trnf("{} hour", "{} hours", 1, 1)},
                                                      {86400, i18n::trnf("{} day", "{} days", 1, 1)},
                                                      {7 * 86400, i18n::trnf("{} week", "{} weeks", 1, 1)}};
  std::string out = "<option value=\"\" selected>" + escape(i18n::tr("Never: until deleted")) + "</option>";
  for (const auto& [seconds, label] : choices)
    if (seconds >= kMinExpiresIn && seconds <= c.max_expires_in)
      out += fmt::format("<option value=\"{}\">{}</option>", seconds, escape(label));
  return out;
}

// "Copy all links": the direct links of every image of a result page, one per line, in
// one field that the script gives a copy button (it makes them absolute too).
std::string all_links(const Site& site, const std::vector<ImageRecord>& images) {
  std::string text;
  std::vector<std::string> paths;
  for (const auto& r : images) {
    paths.push_back(views::image_url(base_of(site), r.name));
    text += (text.empty() ? "" : "\n") + paths.back();
  }
  const long n = static_cast<long>(images.size());
  return fmt::format(
      "<section class=\"card copy-all\" aria-labelledby=\"all-links-title\"><h2 id=\"all-links-title\">{}</h2>{}"
      "<div class=\"code\"><label for=\"all-links\">{}</label><textarea id=\"all-links\" readonly "
      "spellcheck=\"false\" rows=\"{}\" data-code=\"all\">{}</textarea></div></div></section>",
      escape(i18n::tr("All links")), code_block_open(site, paths),
      escape(i18n::trnf("The direct link of the image", "The direct links of all {} images, one per line", n, n)),
      std::min<long>(n, 8), escape(text));
}

// The tiles of a grid a browser shows before any scrolling (a desktop's first row of
// the catalog, a phone's first three; the album grid's first two rows): loaded at once,
// the rest lazily.
constexpr std::size_t kTilesAboveTheFold = 6;

std::string img_tag(const std::string& src, int w, int h, const std::string& alt, bool lazy = false) {
  return fmt::format("<img src=\"{}\" width=\"{}\" height=\"{}\" alt=\"{}\"{}>", escape(src), w, h, escape(alt),
                     lazy ? " loading=\"lazy\" decoding=\"async\"" : "");
}

// A video on its page: the browser's own controls, the poster until it plays, and only
// its index fetched before (the file is faststart: the index comes first).
std::string video_tag(const std::string& src, const std::string& poster, int w, int h) {
  return fmt::format(
      "<video controls preload=\"metadata\" src=\"{}\" poster=\"{}\" width=\"{}\" height=\"{}\">"
      "</video>",
      escape(src), escape(poster), w, h);
}

std::string form_html(const Site& site, const std::string& csrf) {
  const auto& c = site.config;
  std::string accept;
  for (const auto f : c.image.accepted) accept += (accept.empty() ? "" : ",") + std::string(image::content_type(f));
  // Videos by type, and a MOV (video/quicktime) too: it is stored as an MP4.
  for (const auto f : c.video.accepted) {
    accept += "," + std::string(image::content_type(f));
    if (f == image::Format::mp4) accept += ",video/quicktime";
    if (f == image::Format::webm) accept += ",video/x-matroska";
  }
  const bool listed = c.default_visibility == Visibility::public_;
  return fmt::format(
      "<form class=\"uploader\" method=\"post\" action=\"/upload\" enctype=\"multipart/form-data\" "
      "data-max-file-bytes=\"{max_file}\" data-max-video-bytes=\"{max_video}\" data-max-files=\"{max_files}\" "
      "data-accept=\"{accept}\" "
      "data-formats=\"{formats}\">{csrf}"
      "<div class=\"dropzone\">"
      "<label class=\"file-label\" for=\"file\">{t_choose}</label>"
      "<input id=\"file\" type=\"file\" name=\"file\" multiple required accept=\"{accept}\" "
      "aria-describedby=\"limits\">"
      "<p id=\"limits\" class=\"hint\">{limits}</p>"
      "<p class=\"hint js-only\">{t_drop}</p>"
      "</div>"
      "<ul class=\"queue\" aria-label=\"{t_queue}\" hidden></ul>"
      "<label for=\"description\">{t_description} <span class=\"optional\">{t_description_hint}</span></label>"
      "<textarea id=\"description\" name=\"description\" maxlength=\"1000\" rows=\"3\"></textarea>"
      "<fieldset class=\"visibility\"><legend>{t_who}</legend>"
      "<div class=\"choice\"><input type=\"radio\" id=\"vis-unlisted\" name=\"visibility\" value=\"unlisted\"{un}>"
      "<label for=\"vis-unlisted\">{t_unlisted}</label></div>"
      "<div class=\"choice\"><input type=\"radio\" id=\"vis-public\" name=\"visibility\" value=\"public\"{pub}>"
      "<label for=\"vis-public\">{t_public}</label></div>"
      "</fieldset>"
      "<div class=\"keep-for\"><label for=\"expires-in\">{t_keep}</label>"
      "<select id=\"expires-in\" name=\"expires_in\" aria-describedby=\"expires-hint\">{keep_for}</select>"
      "<p id=\"expires-hint\" class=\"hint\">{t_keep_hint}</p></div>"
      "<fieldset class=\"album\"><legend>{t_album}</legend>"
      "<div class=\"choice\"><input type=\"checkbox\" id=\"new-album\" name=\"new_album\" value=\"1\">"
      "<label for=\"new-album\">{t_make_album}</label></div>"
      "<label for=\"album-title\">{t_album_title} <span class=\"optional\">{t_album_title_hint}</span>"
      "</label><input id=\"album-title\" type=\"text\" name=\"album_title\" maxlength=\"200\">"
      "</fieldset>"
      "<p class=\"submit\"><button type=\"submit\">{t_upload}</button></p>"
      "<p class=\"form-status\" role=\"status\" hidden></p>"
      "</form>",
      fmt::arg("max_file", c.max_file_bytes), fmt::arg("max_video", c.video.accepted.empty() ? 0 : c.video.max_bytes),
      fmt::arg("max_files", c.max_files), fmt::arg("accept", escape(accept)),
      fmt::arg("formats", escape(image::describe(c.image.accepted))), fmt::arg("csrf", csrf_field(csrf)),
      fmt::arg("limits", escape(units::upload_limits(c) +
                                (c.video.accepted.empty() ? std::string() : "; " + units::video_limits(c)) + ".")),
      fmt::arg("un", listed ? "" : " checked"), fmt::arg("pub", listed ? " checked" : ""),
      fmt::arg("keep_for", keep_for_options(c)), fmt::arg("t_choose", escape(i18n::tr("Choose images"))),
      fmt::arg("t_drop", escape(i18n::tr("Or drop them here, or paste an image from the clipboard."))),
      fmt::arg("t_queue", escape(i18n::tr("Files to upload"))),
      fmt::arg("t_description", escape(i18n::tr("Description"))),
      fmt::arg("t_description_hint",
               escape(i18n::tr("(optional, at most 1000 characters; shared by the files of this upload)"))),
      fmt::arg("t_who", escape(i18n::tr("Who can see them"))),
      fmt::arg("t_unlisted", i18n::tr("<strong>Unlisted</strong>: only people you give the link to")),
      fmt::arg("t_public", i18n::tr("<strong>Public</strong>: also listed in the public catalog for everyone")),
      fmt::arg("t_keep", escape(i18n::tr("Keep for"))),
      fmt::arg("t_keep_hint", escape(i18n::tr("After that time the images are deleted by themselves."))),
      fmt::arg("t_album", escape(i18n::tr("Album"))),
      fmt::arg("t_make_album", escape(i18n::tr("Make these files an album: one page with all of them, in this order"))),
      fmt::arg("t_album_title", escape(i18n::tr("Album title"))),
      fmt::arg("t_album_title_hint", escape(i18n::tr("(optional, at most 200 characters)"))),
      fmt::arg("t_upload", escape(i18n::tr("Upload"))));
}

// At most `n` code points of valid UTF-8 text, with "…" when cut.
std::string shorten(const std::string& s, std::size_t n) {
  std::size_t i = 0, count = 0;
  while (i < s.size() && count < n) {
    const auto len = text::utf8_sequence(s, i);
    i += len ? len : 1;
    ++count;
  }
  return i < s.size() ? s.substr(0, i) + "…" : s;
}

std::string error_title(int status) {
  switch (status) {
    case 400: return i18n::tr("That request did not work");
    case 401: return i18n::tr("Sign in needed");
    case 403: return i18n::tr("Not allowed");
    case 404: return i18n::tr("Not found");
    case 405: return i18n::tr("Not possible here");
    case 409: return i18n::tr("Conflict");
    case 410: return i18n::tr("Gone");
    case 413: return i18n::tr("Too large");
    case 415: return i18n::tr("Not an accepted image");
    case 422: return i18n::tr("This image was refused");
    case 429: return i18n::tr("Too many requests");
    case 451: return i18n::tr("Unavailable for legal reasons");
    case 502:
    case 503:
    case 504: return i18n::tr("Unavailable for a moment");
    default: return i18n::tr("Something went wrong");
  }
}

}  // namespace

std::string image_title(const ImageRecord& r) {
  return r.description ? shorten(share_codes::one_line(*r.description), 80) : shown_name(r);
}

std::string album_title(const AlbumRecord& a) {
  return a.title ? share_codes::one_line(*a.title) : i18n::tr("Untitled album");
}

std::string home(const Site& site, const std::string& csrf) {
  const auto& base = base_of(site);
  const auto origin = base.empty() ? std::string("<span data-origin>https://this-site</span>") : escape(base);
  return layout(
      site, i18n::tr("Image hosting"),
      fmt::format(
          "<section class=\"hero\"><h1>{t_h1}</h1>"
          "<p class=\"lead\">{t_lead}</p>{form}</section>"
          "<section class=\"features\" aria-label=\"{t_features}\">"
          "<div class=\"feature\"><h2>{t_private}</h2><p>{t_private_text}</p></div>"
          "<div class=\"feature\"><h2>{t_links}</h2><p>{t_links_text}</p></div>"
          "<div class=\"feature\"><h2>{t_delete}</h2><p>{t_delete_text}</p></div></section>"
          "<section class=\"card terminal\"><h2>{t_terminal}</h2>"
          "<pre><code>curl -F file=@cat.jpg {origin}/api/v1/images</code></pre>"
          "<p>{t_terminal_text}</p></section>",
          fmt::arg("form", form_html(site, csrf)), fmt::arg("origin", origin),
          fmt::arg("t_h1", escape(i18n::tr("Share images in seconds"))),
          fmt::arg("t_lead", escape(i18n::tr("Upload pictures and get links that work anywhere: chats, forums, blogs "
                                             "and social networks. No account needed."))),
          fmt::arg("t_features", escape(i18n::tr("What you get"))),
          fmt::arg("t_private", escape(i18n::tr("Private by default"))),
          fmt::arg("t_private_text",
                   i18n::tr("Uploads are unlisted: only people you give the link to can see them. Choose "
                            "<em>public</em> to show them in the <a href=\"/images/\">catalog</a>.")),
          fmt::arg("t_links", escape(i18n::tr("Links for everywhere"))),
          fmt::arg("t_links_text", escape(i18n::tr("Direct link, HTML, Markdown and BBCode, for the full image and "
                                                   "for its thumbnail, ready to copy."))),
          fmt::arg("t_delete", escape(i18n::tr("Yours to delete"))),
          fmt::arg("t_delete_text", i18n::tr("Every upload gets its own delete link. This browser remembers yours "
                                             "under <a href=\"/mine\">My uploads</a>.")),
          fmt::arg("t_terminal", escape(i18n::tr("From a terminal"))),
          fmt::arg("t_terminal_text",
                   i18n::tr("The answer is JSON with the links and the delete token. The API is described in "
                            "<a href=\"/api/v1/openapi.yaml\">its OpenAPI document</a>."))),
      {Nav::home});
}

std::string upload_form(const Site& site, const std::string& csrf) {
  return layout(
      site, i18n::tr("Upload"),
      fmt::format("<h1>{}</h1><div class=\"card\">{}</div>", escape(i18n::tr("Upload images")), form_html(site, csrf)),
      {Nav::upload});
}

std::string uploaded(const Site& site, const std::vector<ImageRecord>& images,
                     const std::vector<std::string>& delete_tokens, std::size_t gone,
                     const std::optional<AlbumLink>& album, std::time_t now) {
  const auto n = static_cast<long>(images.size());
  std::string body = "<h1>" + escape(i18n::trnf("Uploaded {} image", "Uploaded {} images", n, n)) + "</h1>";
  bool any_token = false;
  for (const auto& t : delete_tokens) any_token |= !t.empty();
  body += any_token
              ? "<p class=\"notice\">" +
                    i18n::tr(
                        "Keep the delete links: this page shows them only to the browser that uploaded, for an "
                        "hour. This browser also remembers them under <a href=\"/mine\">My uploads</a> when "
                        "JavaScript is on.") +
                    "</p>"
              : "<p class=\"notice\">" +
                    escape(i18n::tr("Delete links are shown only to the browser that uploaded, for an hour after the "
                                    "upload.")) +
                    "</p>";
  if (gone > 0)
    body += "<p class=\"notice\">" +
            escape(i18n::trnf("{} image of this upload has expired or been deleted since.",
                              "{} images of this upload have expired or been deleted since.", static_cast<long>(gone),
                              gone)) +
            "</p>";
  if (album) {
    const auto& a = album->album;
    body += fmt::format(
        "<section class=\"card album-made\" aria-labelledby=\"album-made-title\"><h2 id=\"album-made-title\">"
        "{} <a href=\"{}\">{}</a></h2><p>{}</p>",
        escape(i18n::tr("Album:")), escape(views::album_url(base_of(site), a.id)), escape(album_title(a)),
        escape(i18n::tr("All of them on one page, in order.")));
    body += code_block(site, a.id, {views::album_url(base_of(site), a.id)},
                       {{"album", i18n::tr("Link to the album"), views::album_url(base_of(site), a.id)}});
    if (!album->manage_token.empty()) body += manage_token_field(a.id, album->manage_token);
    body += fmt::format("<p><a class=\"button secondary\" href=\"{}\">{}</a></p>",
                        escape(manage_url(a.id, album->manage_token)), escape(i18n::tr("Manage the album")));
    body += "</section>";
  }
  if (images.size() > 1) body += all_links(site, images);
  for (std::size_t i = 0; i < images.size(); ++i) {
    const auto& r = images[i];
    const auto links = links_of(site, r);
    const auto [tw, th] = thumb_size(site, r);
    body += fmt::format(
        "<article class=\"card result\" data-id=\"{id}\" data-name=\"{name}\" data-page=\"{page}\" "
        "data-thumb=\"{thumb}\"><a class=\"thumb\" href=\"{page}\" tabindex=\"-1\" aria-hidden=\"true\">{img}</a>"
        "<div class=\"details\">"
        "<h2><a href=\"{page}\">{name}</a></h2><p class=\"meta\">{meta} {badge}</p>",
        fmt::arg("id", escape(r.id)), fmt::arg("name", escape(shown_name(r))), fmt::arg("page", escape(links.page)),
        fmt::arg("thumb", escape(links.thumb)), fmt::arg("img", tile_thumbnail(r, img_tag(links.thumb, tw, th, ""))),
        fmt::arg("meta", escape(meta_line(r))), fmt::arg("badge", visibility_badge(r)));
    body += expiry_note(false, r.expires_at, now);
    body += code_fields(site, r.id, links, share_codes::short_codes(links));
    if (i < delete_tokens.size() && !delete_tokens[i].empty()) {
      const auto del = views::delete_url(base_of(site), r.id, delete_tokens[i]);
      body += fmt::format(
          "<div class=\"code delete-link\"><label for=\"code-{0}-delete\">{2}</label>"
          "<input id=\"code-{0}-delete\" type=\"text\" readonly spellcheck=\"false\" data-code=\"delete\" "
          "data-delete-url value=\"{1}\"></div>",
          escape(r.id), escape(del), escape(i18n::tr("Delete link (keep it private)")));
    }
    body += fmt::format("<p class=\"owner\" data-owner-for=\"{}\" hidden></p>", escape(r.id));
    body += fmt::format("<p><a href=\"{}\">{}</a></p></div></article>", escape(links.page),
                        escape(i18n::tr("Every code and the image's own page")));
  }
  body += "<p class=\"actions\"><a class=\"button\" href=\"/upload\">" + escape(i18n::tr("Upload more")) + "</a></p>";
  return layout(site, i18n::tr("Uploaded"), body, {Nav::upload, true});
}

std::string image_page(const Site& site, const ImageRecord& r, const std::optional<AlbumLink>& album, std::time_t now,
                       std::string_view owner_tools) {
  const auto links = links_of(site, r);
  // Shown through its variants (picture.hpp), linked to the full image; a big file's
  // figure is styled as a preview.
  constexpr long long kShowFullUpTo = 3 << 20;
  const bool full = r.size <= kShowFullUpTo;
  const bool video = r.kind == "video";
  // The image is the link to the full file: its alt text names it.
  const std::string alt = links.alt;
  const std::string title = image_title(r);
  const bool listed = r.visibility == Visibility::public_;
  std::string body = fmt::format(
      "<article class=\"image-page\" data-id=\"{id}\"><h1>{title}</h1>"
      "<figure class=\"{fig}\">{img}{caption}</figure>"
      "<div class=\"facts-and-actions\"><dl class=\"facts\">"
      "<dt>{t_file}</dt><dd>{name}</dd><dt>{t_size}</dt><dd>{size}</dd>"
      "<dt>{t_dimensions}</dt><dd>{dimensions}</dd><dt>{t_format}</dt><dd>{format}</dd>"
      "<dt>{t_uploaded}</dt><dd><time datetime=\"{created}\">{created_shown}</time></dd>"
      "<dt>{t_visibility}</dt><dd>{visibility}</dd></dl>{expiry}{album}"
      "<p class=\"actions\"><a class=\"button\" href=\"{url}\">{t_open}</a> "
      "<a class=\"button secondary\" href=\"/api/v1/images/{id}/file\">{t_download}</a></p>"
      "<p class=\"owner\" data-owner-for=\"{id}\" hidden></p></div>",
      fmt::arg("id", escape(r.id)), fmt::arg("title", escape(title)),
      fmt::arg("fig", video  ? "full video"
                      : full ? "full"
                             : "preview"),
      fmt::arg("url", escape(links.image)),
      fmt::arg(
          "img",
          video ? video_tag(links.image, links.thumb, r.width, r.height)
                : picture_html(site.config.variant_presets, r,
                               {base_of(site), "(max-width: 60rem) 100vw, 60rem", alt, r.width, r.height, false, {}})),
      fmt::arg("caption", r.description ? "<figcaption>" + escape(*r.description) + "</figcaption>" : ""),
      fmt::arg("name", escape(shown_name(r))), fmt::arg("size", units::human_size(static_cast<std::uint64_t>(r.size))),
      fmt::arg("dimensions", escape(i18n::trnf("{} × {} pixel", "{} × {} pixels", r.height, r.width, r.height))),
      fmt::arg("format", escape(format_name(r))), fmt::arg("t_file", escape(i18n::tr("File"))),
      fmt::arg("t_size", escape(i18n::tr("Size"))), fmt::arg("t_dimensions", escape(i18n::tr("Dimensions"))),
      fmt::arg("t_format", escape(i18n::tr("Format"))), fmt::arg("t_uploaded", escape(i18n::tr("Uploaded"))),
      fmt::arg("t_visibility", escape(i18n::tr("Visibility"))),
      fmt::arg("t_open", escape(video ? i18n::tr("Open the video") : i18n::tr("Open the full image"))),
      fmt::arg("t_download", escape(i18n::tr("Download"))), fmt::arg("created", escape(r.created_at)),
      fmt::arg("created_shown", escape(shown_time(r.created_at))),
      fmt::arg("visibility", escape(listed ? i18n::tr("Public: listed in the catalog")
                                           : i18n::tr("Unlisted: only people with the link can see it"))),
      fmt::arg("expiry", expiry_note(false, r.expires_at, now)), fmt::arg("album", album_note(site, album)));
  body += owner_tools;
  body += "<section class=\"share\" aria-labelledby=\"share-title\"><h2 id=\"share-title\">" +
          escape(i18n::tr("Share it")) + "</h2>";
  body += code_fields(site, r.id, links, share_codes::all_codes(links));
  body += "</section>" + report_link(r.id) + "</article>";
  return layout(site, title, body, {Nav::none, !listed, image_preview_tags(site, r)});
}

std::string album_page(const Site& site, const AlbumRecord& a, const std::vector<AlbumItem>& items,
                       const std::optional<ImageRecord>& picture, std::optional<long long> next_after,
                       bool is_first_page, std::time_t now) {
  const auto base = base_of(site);
  const auto url = views::album_url(base, a.id);
  const bool listed = a.visibility == Visibility::public_;
  const auto count = a.item_count;
  std::string body = fmt::format(
      "<article class=\"album-page\" data-album-id=\"{id}\"><h1>{title}</h1>{description}"
      "<p class=\"meta\">{count} · <span class=\"badge{pub}\">{vis}</span></p>{expiry}"
      "<section class=\"share\" aria-labelledby=\"album-share-title\"><h2 id=\"album-share-title\">{t_share}</h2>",
      fmt::arg("id", escape(a.id)), fmt::arg("title", escape(album_title(a))),
      fmt::arg("description",
               a.description ? "<p class=\"description\">" + escape(*a.description) + "</p>" : std::string()),
      fmt::arg("count", escape(i18n::trnf("{} image", "{} images", static_cast<long>(count), count))),
      fmt::arg("pub", listed ? " public" : ""),
      fmt::arg("vis", escape(listed ? i18n::tr("Public") : i18n::tr("Unlisted"))),
      fmt::arg("t_share", escape(i18n::tr("Share the album"))),
      fmt::arg("expiry", expiry_note(true, a.expires_at, now)));
  body += code_block(site, a.id, {url}, {{"album", i18n::tr("Link to this album"), url}});
  body += "</section><section aria-labelledby=\"album-images-title\"><h2 id=\"album-images-title\">" +
          escape(i18n::tr("Images")) + "</h2>";
  if (items.empty()) body += "<p class=\"card\">" + escape(i18n::tr("No images in this album (yet).")) + "</p>";
  if (!items.empty()) body += "<ol class=\"album-grid\">";
  std::size_t tile_number = 0;
  for (const auto& item : items) {
    const auto& r = item.image;
    const auto links = links_of(site, r);
    const auto [tw, th] = thumb_size(site, r);
    body += fmt::format(
        "<li class=\"card tile\" data-id=\"{id}\"><a class=\"thumb\" href=\"{page}\" tabindex=\"-1\" "
        "aria-hidden=\"true\">{img}</a><h3><a href=\"{page}\">{name}</a></h3><p class=\"meta\">{meta}</p>{desc}",
        fmt::arg("id", escape(r.id)), fmt::arg("page", escape(links.page)),
        fmt::arg("img", tile_thumbnail(r, tile_picture_html(site.config.variant_presets, r, links.thumb,
                                                            {base_of(site),
                                                             "(max-width: 40rem) 100vw, 20rem",
                                                             "",
                                                             tw,
                                                             th,
                                                             tile_number++ >= kTilesAboveTheFold,
                                                             {}}))),
        fmt::arg("name", escape(shown_name(r))), fmt::arg("meta", escape(meta_line(r))),
        fmt::arg("desc",
                 r.description ? "<p class=\"description\">" + escape(*r.description) + "</p>" : std::string()));
    // An image of the album may expire before it (its own "Keep for").
    if (r.expires_at != a.expires_at) body += expiry_note(false, r.expires_at, now);
    body += fmt::format("<details class=\"tile-codes\"><summary>{}</summary>",
                        escape(i18n::trf("Codes for {}", shown_name(r))));
    body += code_fields(site, r.id, links, share_codes::all_codes(links));
    body += "</details></li>";
  }
  if (!items.empty()) body += "</ol>";
  body += "</section>";
  body += pager(
      i18n::tr("Album pages"),
      is_first_page ? std::nullopt : std::optional<PagerLink>({"/a/" + a.id, i18n::tr("First images")}),
      next_after ? std::optional<PagerLink>({fmt::format("/a/{}?after={}", a.id, *next_after), i18n::tr("More images")})
                 : std::nullopt);
  body += report_link(a.id) + "</article>";
  return layout(site, album_title(a), body, {Nav::none, !listed, album_preview_tags(site, a, picture)});
}

std::string catalog(const Site& site, const std::vector<ImageRecord>& items,
                    const std::optional<std::string>& next_cursor, bool is_first_page) {
  std::string body = "<h1>" + escape(i18n::tr("Public catalog")) + "</h1><p class=\"lead\">" +
                     escape(i18n::tr("Images their uploaders chose to list. Unlisted uploads never appear here.")) +
                     "</p>";
  if (items.empty())
    body += "<p class=\"card\">" +
            i18n::tr("No public images yet. <a href=\"/upload\">Upload one</a> and choose <em>public</em>.") + "</p>";
  else
    body += "<ul class=\"grid\">";
  std::size_t tile_number = 0;
  for (const auto& r : items) {
    const auto [tw, th] = thumb_size(site, r);
    // The caption names the image; the description (when there is one) is the alt text.
    const std::string alt = r.description && share_codes::one_line(*r.description) != shown_name(r)
                                ? share_codes::one_line(*r.description)
                                : "";
    body += fmt::format(
        "<li><a href=\"{}\">{}<span class=\"caption\">{}</span></a></li>", escape(page_url(site, r.id)),
        tile_thumbnail(r, tile_picture_html(site.config.variant_presets, r, views::thumb_url(base_of(site), r.name),
                                            {base_of(site),
                                             "(max-width: 30rem) 50vw, 12rem",
                                             alt,
                                             tw,
                                             th,
                                             tile_number++ >= kTilesAboveTheFold,
                                             {}})),
        escape(shown_name(r)));
  }
  if (!items.empty()) body += "</ul>";
  body += pager(
      i18n::tr("Catalog pages"),
      is_first_page ? std::nullopt : std::optional<PagerLink>({"/images/", i18n::tr("Newest")}),
      next_cursor ? std::optional<PagerLink>({"/images/?cursor=" + *next_cursor, i18n::tr("Older")}) : std::nullopt);
  return layout(site, i18n::tr("Public catalog"), body, {Nav::catalog});
}

std::string my_uploads(const Site& site) {
  return layout(site, i18n::tr("My uploads"),
                "<h1>" + escape(i18n::tr("My uploads")) + "</h1><p class=\"lead\">" +
                    escape(i18n::tr("The images uploaded from this browser, with their delete links. The list is "
                                    "kept only in this browser: nobody else sees it, and clearing the browser's "
                                    "data forgets it.")) +
                    "</p><noscript><p class=\"notice\">" +
                    escape(i18n::tr("This list needs JavaScript. Without it, keep the delete links that the page "
                                    "after an upload shows.")) +
                    "</p></noscript><div class=\"mine\" data-mine><p class=\"js-only empty-note\" hidden>" +
                    i18n::tr("Nothing yet: the images you upload from this browser will be listed here. "
                             "<a href=\"/upload\">Upload images</a>.") +
                    "</p><ul class=\"mine-list\"></ul></div>",
                {Nav::mine, true});
}

std::string delete_confirm(const Site& site, const ImageRecord& r, const std::string& token, const std::string& csrf) {
  const auto [tw, th] = thumb_size(site, r);
  return layout(site, i18n::tr("Delete image"),
                fmt::format("<h1>{t_h1}</h1><div class=\"card confirm\">{img}<div class=\"details\">"
                            "<p><strong>{name}</strong></p><p class=\"meta\">{meta}</p>"
                            "<p>{t_text}</p>"
                            "<form method=\"post\" action=\"/delete/{id}{token}\" class=\"confirm-actions\">{csrf}"
                            "<button class=\"danger\" type=\"submit\">{t_delete}</button> "
                            "<a class=\"button secondary\" href=\"/i/{id}\">{t_keep}</a></form></div></div>",
                            fmt::arg("t_h1", escape(i18n::tr("Delete this image?"))),
                            fmt::arg("t_text", escape(i18n::tr("Its page, its links and its embed codes stop "
                                                               "working. This cannot be undone."))),
                            fmt::arg("t_delete", escape(i18n::tr("Delete for good"))),
                            fmt::arg("t_keep", escape(i18n::tr("Keep it"))),
                            fmt::arg("img", img_tag(views::thumb_url(base_of(site), r.name), tw, th, "")),
                            fmt::arg("name", escape(shown_name(r))), fmt::arg("meta", escape(meta_line(r))),
                            fmt::arg("id", escape(r.id)),
                            fmt::arg("token", token.empty() ? std::string() : "?token=" + escape(token)),
                            fmt::arg("csrf", csrf_field(csrf))),
                {Nav::none, true});
}

std::string deleted(const Site& site, const ImageRecord& r) {
  // The same bytes may have been uploaded by others too; their uploads have links of
  // their own, and nothing here says whether they exist.
  const std::string what =
      "<p>" +
      escape(i18n::trf("{} is deleted: its page, its file and its thumbnail are gone from this site. Browsers and "
                       "caches that loaded it before may keep showing their copy for a while.",
                       shown_name(r))) +
      "</p>";
  return layout(site, i18n::tr("Deleted"),
                fmt::format("<h1>{}</h1><div class=\"card\" data-deleted-id=\"{}\">{}</div>"
                            "<p class=\"actions\"><a class=\"button\" href=\"/upload\">{}</a> "
                            "<a href=\"/mine\">{}</a></p>",
                            escape(i18n::tr("Deleted")), escape(r.id), what, escape(i18n::tr("Upload images")),
                            escape(i18n::tr("My uploads"))),
                {Nav::none, true});
}

std::string error_page(const Site& site, int status, const std::string& message) {
  const bool about_an_upload = status == 400 || status == 413 || status == 415 || status == 422;
  std::string body = fmt::format("<div class=\"error-page\"><p class=\"status\">{}</p><h1>{}</h1><p>{}</p>",
                                 escape(i18n::trf("Error {}", status)), escape(error_title(status)), escape(message));
  if (about_an_upload)
    body += "<p class=\"limits\">" +
            escape(i18n::trf("What an upload may hold: {}, {} in all.", units::upload_limits(site.config),
                             units::human_size(site.config.max_request_bytes))) +
            "</p>";
  body += "<ul class=\"ways\">";
  if (about_an_upload)
    body += "<li>" +
            i18n::tr(
                "<a href=\"/upload\" data-back>Back to the upload form</a> (your browser's Back button keeps "
                "what you typed)") +
            "</li>";
  body += fmt::format("<li><a href=\"/\">{}</a></li><li><a href=\"/images/\">{}</a></li></ul></div>",
                      escape(i18n::tr("Home")), escape(i18n::tr("Public catalog")));
  return layout(site, i18n::trf("Error {}", status), body, {Nav::none, true});
}

std::string see_other(const Site& site, const std::string& location) {
  return layout(site, i18n::tr("Uploaded"),
                fmt::format("<h1>{}</h1><p><a href=\"{}\">{}</a>.</p>", escape(i18n::tr("Uploaded")), escape(location),
                            escape(i18n::tr("See the links of your upload"))),
                {Nav::upload, true});
}

}  // namespace imghost::pages
