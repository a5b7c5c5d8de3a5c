#include "render/pages.hpp"

#include <fmt/format.h>

#include "base/text.hpp"
#include "domain/image_format.hpp"
#include "domain/thumbnail_geometry.hpp"
#include "render/json.hpp"
#include "render/link_preview.hpp"
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
  return r.visibility == Visibility::public_ ? "<span class=\"badge public\">Public</span>"
                                             : "<span class=\"badge\">Unlisted</span>";
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
          th};
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
std::string code_block(const Site& site, const std::string& id, const std::vector<std::string>& paths,
                       const std::vector<share_codes::Code>& list) {
  std::string out = "<div class=\"codes\"";
  if (base_of(site).empty()) {
    std::string joined;
    for (const auto& p : paths) joined += (joined.empty() ? "" : " ") + p;
    out += fmt::format(" data-paths=\"{}\"", escape(joined));
  }
  out += ">";
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
// `what` names the thing ("This image", "This album").
std::string expiry_note(const char* what, const std::optional<std::string>& expires_at, std::time_t now) {
  if (!expires_at) return "";
  const auto left = units::seconds_until(*expires_at, now);
  if (!left) return "";
  return fmt::format("<p class=\"expiry\">{} <time datetime=\"{}\">{}</time> ({}).</p>", what, escape(*expires_at),
                     escape(units::expires_in(*left)), escape(shown_time(*expires_at)));
}

// "In the album <a>Holiday</a>." on the pages of the images it holds.
std::string album_note(const Site& site, const std::optional<AlbumLink>& link) {
  if (!link) return "";
  const auto& a = link->album;
  return fmt::format("<p class=\"album-link\">In the album <a href=\"{}\">{}</a>.</p>",
                     escape(views::album_url(base_of(site), a.id)), escape(album_title(a)));
}

// An anonymous album's manage token, for the browser that created it.
std::string manage_token_field(const std::string& album_id, const std::string& token) {
  return fmt::format(
      "<div class=\"code manage-token\"><label for=\"code-{0}-manage\">The album's manage token (keep it "
      "private: with it, the API closes, reorders or deletes the album)</label>"
      "<input id=\"code-{0}-manage\" type=\"text\" readonly spellcheck=\"false\" data-code=\"manage\" "
      "value=\"{1}\"></div>",
      escape(album_id), escape(token));
}

// The form's "Keep for" choices, those above the configured maximum left out.
std::string keep_for_options(const Config& c) {
  static constexpr std::pair<unsigned, const char*> kChoices[] = {
      {600, "10 minutes"}, {3600, "1 hour"}, {86400, "1 day"}, {7 * 86400, "1 week"}};
  std::string out = "<option value=\"\" selected>Never: until deleted</option>";
  for (const auto& [seconds, label] : kChoices)
    if (seconds >= kMinExpiresIn && seconds <= c.max_expires_in)
      out += fmt::format("<option value=\"{}\">{}</option>", seconds, label);
  return out;
}

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
      "data-max-file-bytes=\"{max_file}\" data-max-files=\"{max_files}\" data-accept=\"{accept}\" "
      "data-formats=\"{formats}\">{csrf}"
      "<div class=\"dropzone\">"
      "<label class=\"file-label\" for=\"file\">Choose images</label>"
      "<input id=\"file\" type=\"file\" name=\"file\" multiple required accept=\"{accept}\" "
      "aria-describedby=\"limits\">"
      "<p id=\"limits\" class=\"hint\">{limits}</p>"
      "<p class=\"hint js-only\">Or drop them here, or paste an image from the clipboard.</p>"
      "</div>"
      "<ul class=\"queue\" aria-label=\"Files to upload\" hidden></ul>"
      "<label for=\"description\">Description <span class=\"optional\">(optional, at most 1000 characters; "
      "shared by the files of this upload)</span></label>"
      "<textarea id=\"description\" name=\"description\" maxlength=\"1000\" rows=\"3\"></textarea>"
      "<fieldset class=\"visibility\"><legend>Who can see them</legend>"
      "<div class=\"choice\"><input type=\"radio\" id=\"vis-unlisted\" name=\"visibility\" value=\"unlisted\"{un}>"
      "<label for=\"vis-unlisted\"><strong>Unlisted</strong>: only people you give the link to</label></div>"
      "<div class=\"choice\"><input type=\"radio\" id=\"vis-public\" name=\"visibility\" value=\"public\"{pub}>"
      "<label for=\"vis-public\"><strong>Public</strong>: also listed in the public catalog for everyone</label></div>"
      "</fieldset>"
      "<div class=\"keep-for\"><label for=\"expires-in\">Keep for</label>"
      "<select id=\"expires-in\" name=\"expires_in\" aria-describedby=\"expires-hint\">{keep_for}</select>"
      "<p id=\"expires-hint\" class=\"hint\">After that time the images are deleted by themselves.</p></div>"
      "<fieldset class=\"album\"><legend>Album</legend>"
      "<div class=\"choice\"><input type=\"checkbox\" id=\"new-album\" name=\"new_album\" value=\"1\">"
      "<label for=\"new-album\">Make these files an album: one page with all of them, in this order</label></div>"
      "<label for=\"album-title\">Album title <span class=\"optional\">(optional, at most 200 characters)</span>"
      "</label><input id=\"album-title\" type=\"text\" name=\"album_title\" maxlength=\"200\">"
      "</fieldset>"
      "<p class=\"submit\"><button type=\"submit\">Upload</button></p>"
      "<p class=\"form-status\" role=\"status\" hidden></p>"
      "</form>",
      fmt::arg("max_file", c.max_file_bytes), fmt::arg("max_files", c.max_files), fmt::arg("accept", escape(accept)),
      fmt::arg("formats", escape(image::describe(c.image.accepted))), fmt::arg("csrf", csrf_field(csrf)),
      fmt::arg("limits", escape(units::upload_limits(c) + ".")), fmt::arg("un", listed ? "" : " checked"),
      fmt::arg("pub", listed ? " checked" : ""), fmt::arg("keep_for", keep_for_options(c)));
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

const char* error_title(int status) {
  switch (status) {
    case 400: return "That request did not work";
    case 401: return "Sign in needed";
    case 403: return "Not allowed";
    case 404: return "Not found";
    case 405: return "Not possible here";
    case 409: return "Conflict";
    case 410: return "Gone";
    case 413: return "Too large";
    case 415: return "Not an accepted image";
    case 422: return "This image was refused";
    case 429: return "Too many requests";
    case 502:
    case 503:
    case 504: return "Unavailable for a moment";
    default: return "Something went wrong";
  }
}

}  // namespace

std::string image_title(const ImageRecord& r) {
  return r.description ? shorten(share_codes::one_line(*r.description), 80) : shown_name(r);
}

std::string album_title(const AlbumRecord& a) { return a.title ? share_codes::one_line(*a.title) : "Untitled album"; }

std::string home(const Site& site, const std::string& csrf) {
  const auto& base = base_of(site);
  const auto origin = base.empty() ? std::string("<span data-origin>https://this-site</span>") : escape(base);
  return layout(
      site, "Image hosting",
      fmt::format(
          "<section class=\"hero\"><h1>Share images in seconds</h1>"
          "<p class=\"lead\">Upload pictures and get links that work anywhere: chats, forums, blogs and social "
          "networks. No account needed.</p>{form}</section>"
          "<section class=\"features\" aria-label=\"What you get\">"
          "<div class=\"feature\"><h2>Private by default</h2><p>Uploads are unlisted: only people you give the link "
          "to can see them. Choose <em>public</em> to show them in the <a href=\"/images/\">catalog</a>.</p></div>"
          "<div class=\"feature\"><h2>Links for everywhere</h2><p>Direct link, HTML, Markdown and BBCode, for the "
          "full image and for its thumbnail, ready to copy.</p></div>"
          "<div class=\"feature\"><h2>Yours to delete</h2><p>Every upload gets its own delete link. This browser "
          "remembers yours under <a href=\"/mine\">My uploads</a>.</p></div></section>"
          "<section class=\"card terminal\"><h2>From a terminal</h2>"
          "<pre><code>curl -F file=@cat.jpg {origin}/api/v1/images</code></pre>"
          "<p>The answer is JSON with the links and the delete token. The API is described in "
          "<a href=\"/api/v1/openapi.yaml\">its OpenAPI document</a>.</p></section>",
          fmt::arg("form", form_html(site, csrf)), fmt::arg("origin", origin)),
      {Nav::home});
}

std::string upload_form(const Site& site, const std::string& csrf) {
  return layout(site, "Upload",
                fmt::format("<h1>Upload images</h1><div class=\"card\">{}</div>", form_html(site, csrf)),
                {Nav::upload});
}

std::string uploaded(const Site& site, const std::vector<ImageRecord>& images,
                     const std::vector<std::string>& delete_tokens, std::size_t gone,
                     const std::optional<AlbumLink>& album, std::time_t now) {
  std::string body = fmt::format("<h1>Uploaded {} image{}</h1>", images.size(), images.size() == 1 ? "" : "s");
  bool any_token = false;
  for (const auto& t : delete_tokens) any_token |= !t.empty();
  body += any_token
              ? "<p class=\"notice\">Keep the delete links: this page shows them only to the browser that uploaded, "
                "for an hour. This browser also remembers them under <a href=\"/mine\">My uploads</a> when "
                "JavaScript is on.</p>"
              : "<p class=\"notice\">Delete links are shown only to the browser that uploaded, for an hour after "
                "the upload.</p>";
  if (gone > 0)
    body += fmt::format("<p class=\"notice\">{} image{} of this upload {} expired or been deleted since.</p>", gone,
                        gone == 1 ? "" : "s", gone == 1 ? "has" : "have");
  if (album) {
    const auto& a = album->album;
    body += fmt::format(
        "<section class=\"card album-made\" aria-labelledby=\"album-made-title\"><h2 id=\"album-made-title\">"
        "Album: <a href=\"{}\">{}</a></h2><p>All of them on one page, in order.</p>",
        escape(views::album_url(base_of(site), a.id)), escape(album_title(a)));
    body += code_block(site, a.id, {views::album_url(base_of(site), a.id)},
                       {{"album", "Link to the album", views::album_url(base_of(site), a.id)}});
    if (!album->manage_token.empty()) body += manage_token_field(a.id, album->manage_token);
    body += "</section>";
  }
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
        fmt::arg("thumb", escape(links.thumb)), fmt::arg("img", img_tag(links.thumb, tw, th, "")),
        fmt::arg("meta", escape(meta_line(r))), fmt::arg("badge", visibility_badge(r)));
    body += expiry_note("This image", r.expires_at, now);
    body += code_fields(site, r.id, links, share_codes::short_codes(links));
    if (i < delete_tokens.size() && !delete_tokens[i].empty()) {
      const auto del = views::delete_url(base_of(site), r.id, delete_tokens[i]);
      body += fmt::format(
          "<div class=\"code delete-link\"><label for=\"code-{0}-delete\">Delete link (keep it private)</label>"
          "<input id=\"code-{0}-delete\" type=\"text\" readonly spellcheck=\"false\" data-code=\"delete\" "
          "data-delete-url value=\"{1}\"></div>",
          escape(r.id), escape(del));
    }
    body += fmt::format("<p class=\"owner\" data-owner-for=\"{}\" hidden></p>", escape(r.id));
    body += fmt::format("<p><a href=\"{}\">Every code and the image's own page</a></p></div></article>",
                        escape(links.page));
  }
  body += "<p class=\"actions\"><a class=\"button\" href=\"/upload\">Upload more</a></p>";
  return layout(site, "Uploaded", body, {Nav::upload, true});
}

std::string image_page(const Site& site, const ImageRecord& r, const std::optional<AlbumLink>& album, std::time_t now) {
  const auto links = links_of(site, r);
  const auto [tw, th] = thumb_size(site, r);
  // A big file is shown as its thumbnail, linked to the full image: the page stays quick.
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
      "<dt>File</dt><dd>{name}</dd><dt>Size</dt><dd>{size}</dd>"
      "<dt>Dimensions</dt><dd>{w} × {h} pixels</dd><dt>Format</dt><dd>{format}</dd>"
      "<dt>Uploaded</dt><dd><time datetime=\"{created}\">{created_shown}</time></dd>"
      "<dt>Visibility</dt><dd>{visibility}</dd></dl>{expiry}{album}"
      "<p class=\"actions\"><a class=\"button\" href=\"{url}\">{open}</a> "
      "<a class=\"button secondary\" href=\"/api/v1/images/{id}/file\">Download</a></p>"
      "<p class=\"owner\" data-owner-for=\"{id}\" hidden></p></div>",
      fmt::arg("id", escape(r.id)), fmt::arg("title", escape(title)),
      fmt::arg("fig", video  ? "full video"
                      : full ? "full"
                             : "preview"),
      fmt::arg("url", escape(links.image)), fmt::arg("open", video ? "Open the video" : "Open the full image"),
      fmt::arg("img", video  ? video_tag(links.image, links.thumb, r.width, r.height)
                      : full ? "<a href=\"" + escape(links.image) + "\">" +
                                   img_tag(links.image, r.width, r.height, alt) + "</a>"
                             : "<a href=\"" + escape(links.image) + "\">" + img_tag(links.thumb, tw, th, alt) + "</a>"),
      fmt::arg("caption", r.description ? "<figcaption>" + escape(*r.description) + "</figcaption>" : ""),
      fmt::arg("name", escape(shown_name(r))), fmt::arg("size", units::human_size(static_cast<std::uint64_t>(r.size))),
      fmt::arg("w", r.width), fmt::arg("h", r.height), fmt::arg("format", escape(format_name(r))),
      fmt::arg("created", escape(r.created_at)), fmt::arg("created_shown", escape(shown_time(r.created_at))),
      fmt::arg("visibility",
               listed ? "Public: listed in the catalog" : "Unlisted: only people with the link can see it"),
      fmt::arg("expiry", expiry_note("This image", r.expires_at, now)), fmt::arg("album", album_note(site, album)));
  body += "<section class=\"share\" aria-labelledby=\"share-title\"><h2 id=\"share-title\">Share it</h2>";
  body += code_fields(site, r.id, links, share_codes::all_codes(links));
  body += "</section></article>";
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
      "<p class=\"meta\">{count} image{s} · <span class=\"badge{pub}\">{vis}</span></p>{expiry}"
      "<section class=\"share\" aria-labelledby=\"album-share-title\"><h2 id=\"album-share-title\">Share the "
      "album</h2>",
      fmt::arg("id", escape(a.id)), fmt::arg("title", escape(album_title(a))),
      fmt::arg("description",
               a.description ? "<p class=\"description\">" + escape(*a.description) + "</p>" : std::string()),
      fmt::arg("count", count), fmt::arg("s", count == 1 ? "" : "s"), fmt::arg("pub", listed ? " public" : ""),
      fmt::arg("vis", listed ? "Public" : "Unlisted"),
      fmt::arg("expiry", expiry_note("This album", a.expires_at, now)));
  body += code_block(site, a.id, {url}, {{"album", "Link to this album", url}});
  body += "</section><section aria-labelledby=\"album-images-title\"><h2 id=\"album-images-title\">Images</h2>";
  if (items.empty()) body += "<p class=\"card\">No images in this album (yet).</p>";
  if (!items.empty()) body += "<ol class=\"album-grid\">";
  for (const auto& item : items) {
    const auto& r = item.image;
    const auto links = links_of(site, r);
    const auto [tw, th] = thumb_size(site, r);
    body += fmt::format(
        "<li class=\"card tile\" data-id=\"{id}\"><a class=\"thumb\" href=\"{page}\" tabindex=\"-1\" "
        "aria-hidden=\"true\">{img}</a><h3><a href=\"{page}\">{name}</a></h3><p class=\"meta\">{meta}</p>{desc}",
        fmt::arg("id", escape(r.id)), fmt::arg("page", escape(links.page)),
        fmt::arg("img", img_tag(links.thumb, tw, th, "", true)), fmt::arg("name", escape(shown_name(r))),
        fmt::arg("meta", escape(meta_line(r))),
        fmt::arg("desc",
                 r.description ? "<p class=\"description\">" + escape(*r.description) + "</p>" : std::string()));
    // An image of the album may expire before it (its own "Keep for").
    if (r.expires_at != a.expires_at) body += expiry_note("This image", r.expires_at, now);
    body += fmt::format("<details class=\"tile-codes\"><summary>Codes for {}</summary>", escape(shown_name(r)));
    body += code_fields(site, r.id, links, share_codes::all_codes(links));
    body += "</details></li>";
  }
  if (!items.empty()) body += "</ol>";
  body += "</section>";
  if (!is_first_page || next_after) {
    body += "<nav class=\"pager\" aria-label=\"Album pages\">";
    if (!is_first_page) body += fmt::format("<a href=\"/a/{}\">&laquo; First images</a>", escape(a.id));
    if (next_after)
      body += fmt::format("<a href=\"/a/{}?after={}\">More images &raquo;</a>", escape(a.id), *next_after);
    body += "</nav>";
  }
  body += "</article>";
  return layout(site, album_title(a), body, {Nav::none, !listed, album_preview_tags(site, a, picture)});
}

std::string catalog(const Site& site, const std::vector<ImageRecord>& items,
                    const std::optional<std::string>& next_cursor, bool is_first_page) {
  std::string body =
      "<h1>Public catalog</h1><p class=\"lead\">Images their uploaders chose to list. Unlisted uploads never "
      "appear here.</p>";
  if (items.empty())
    body +=
        "<p class=\"card\">No public images yet. <a href=\"/upload\">Upload one</a> and choose "
        "<em>public</em>.</p>";
  else
    body += "<ul class=\"grid\">";
  for (const auto& r : items) {
    const auto [tw, th] = thumb_size(site, r);
    // The caption names the image; the description (when there is one) is the alt text.
    const std::string alt = r.description && share_codes::one_line(*r.description) != shown_name(r)
                                ? share_codes::one_line(*r.description)
                                : "";
    body += fmt::format("<li><a href=\"{}\">{}<span class=\"caption\">{}</span></a></li>", escape(page_url(site, r.id)),
                        img_tag(views::thumb_url(base_of(site), r.name), tw, th, alt, true), escape(shown_name(r)));
  }
  if (!items.empty()) body += "</ul>";
  if (!is_first_page || next_cursor) {
    body += "<nav class=\"pager\" aria-label=\"Catalog pages\">";
    if (!is_first_page) body += "<a href=\"/images/\">&laquo; Newest</a>";
    if (next_cursor) body += fmt::format("<a href=\"/images/?cursor={}\">Older &raquo;</a>", escape(*next_cursor));
    body += "</nav>";
  }
  return layout(site, "Public catalog", body, {Nav::catalog});
}

std::string my_uploads(const Site& site) {
  return layout(site, "My uploads",
                "<h1>My uploads</h1><p class=\"lead\">The images uploaded from this browser, with their delete links. "
                "The list is kept only in this browser: nobody else sees it, and clearing the browser's data "
                "forgets it.</p>"
                "<noscript><p class=\"notice\">This list needs JavaScript. Without it, keep the delete links that "
                "the page after an upload shows.</p></noscript>"
                "<div class=\"mine\" data-mine><p class=\"js-only empty-note\" hidden>Nothing yet: the images you "
                "upload from this browser will be listed here. <a href=\"/upload\">Upload images</a>.</p>"
                "<ul class=\"mine-list\"></ul></div>",
                {Nav::mine, true});
}

std::string delete_confirm(const Site& site, const ImageRecord& r, const std::string& token, const std::string& csrf) {
  const auto [tw, th] = thumb_size(site, r);
  return layout(site, "Delete image",
                fmt::format("<h1>Delete this image?</h1><div class=\"card confirm\">{img}<div class=\"details\">"
                            "<p><strong>{name}</strong></p><p class=\"meta\">{meta}</p>"
                            "<p>Its page, its links and its embed codes stop working. This cannot be undone.</p>"
                            "<form method=\"post\" action=\"/delete/{id}{token}\" class=\"confirm-actions\">{csrf}"
                            "<button class=\"danger\" type=\"submit\">Delete for good</button> "
                            "<a class=\"button secondary\" href=\"/i/{id}\">Keep it</a></form></div></div>",
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
  const std::string what = fmt::format(
      "<p>{} is deleted: its page, its file and its thumbnail are gone from this site. Browsers "
      "and caches that loaded it before may keep showing their copy for a while.</p>",
      escape(shown_name(r)));
  return layout(site, "Deleted",
                fmt::format("<h1>Deleted</h1><div class=\"card\" data-deleted-id=\"{}\">{}</div>"
                            "<p class=\"actions\"><a class=\"button\" href=\"/upload\">Upload images</a> "
                            "<a href=\"/mine\">My uploads</a></p>",
                            escape(r.id), what),
                {Nav::none, true});
}

std::string error_page(const Site& site, int status, const std::string& message) {
  const bool about_an_upload = status == 400 || status == 413 || status == 415 || status == 422;
  std::string body = fmt::format("<div class=\"error-page\"><p class=\"status\">Error {}</p><h1>{}</h1><p>{}</p>",
                                 status, error_title(status), escape(message));
  if (about_an_upload)
    body += fmt::format("<p class=\"limits\">What an upload may hold: {}, {} in all.</p>",
                        escape(units::upload_limits(site.config)),
                        escape(units::human_size(site.config.max_request_bytes)));
  body += "<ul class=\"ways\">";
  if (about_an_upload)
    body +=
        "<li><a href=\"/upload\" data-back>Back to the upload form</a> (your browser's Back button keeps what "
        "you typed)</li>";
  body += "<li><a href=\"/\">Home</a></li><li><a href=\"/images/\">Public catalog</a></li></ul></div>";
  return layout(site, fmt::format("Error {}", status), body, {Nav::none, true});
}

std::string see_other(const Site& site, const std::string& location) {
  return layout(
      site, "Uploaded",
      fmt::format("<h1>Uploaded</h1><p><a href=\"{}\">See the links of your upload</a>.</p>", escape(location)),
      {Nav::upload, true});
}

}  // namespace imghost::pages
