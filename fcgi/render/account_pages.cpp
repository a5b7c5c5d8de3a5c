#include "render/account_pages.hpp"

#include <fmt/format.h>

#include "domain/thumbnail_geometry.hpp"
#include "domain/translate.hpp"
#include "render/html.hpp"
#include "render/json.hpp"
#include "render/pages.hpp"
#include "render/picture.hpp"
#include "render/units.hpp"

namespace imghost::pages {
namespace {

std::string human_bytes(long long n) { return units::human_size(static_cast<std::uint64_t>(n < 0 ? 0 : n)); }

std::string error_card(const std::string& error) {
  return error.empty() ? std::string() : "<div class=\"card error\" role=\"alert\"><p>" + escape(error) + "</p></div>";
}

std::string shown_name(const ImageRecord& r) { return r.original_filename.empty() ? r.name : r.original_filename; }

// "2026-11-23" of "2026-11-23T10:00:00Z".
std::string shown_date(const std::string& iso) { return iso.substr(0, 10); }

// "2026-11-23 10:00 UTC" of "2026-11-23T10:00:00Z".
std::string shown_time(const std::string& iso) {
  if (iso.size() < 16) return iso;
  return iso.substr(0, 10) + " " + iso.substr(11, 5) + " UTC";
}

std::string image_tile(const Site& site, const ImageRecord& r) {
  const auto [w, h] = fit_within(static_cast<std::uint32_t>(r.width), static_cast<std::uint32_t>(r.height),
                                 site.config.image.thumb_size);
  const bool listed = r.visibility == Visibility::public_;
  const auto name = escape(shown_name(r));
  return fmt::format(
      "<li class=\"owner-tile\" data-id=\"{id}\"><a class=\"thumb\" href=\"/i/{id}\" tabindex=\"-1\" "
      "aria-hidden=\"true\">{img}</a><div class=\"tile-text\"><a class=\"name\" href=\"/i/{id}\" "
      "title=\"{name}\">{name}</a>"
      "<p class=\"meta\"><time datetime=\"{created}\">{date}</time> · {size}</p>"
      "<p class=\"meta\"><span class=\"badge{pub}\">{vis}</span></p>"
      "<label class=\"pick\"><input type=\"checkbox\" name=\"id\" value=\"{id}\" form=\"bulk\"> {select}"
      "<span class=\"visually-hidden\"> {name}</span></label></div></li>",
      fmt::arg("id", escape(r.id)),
      fmt::arg("img",
               tile_thumbnail(r, fmt::format("<img src=\"{}\" width=\"{}\" height=\"{}\" alt=\"\" "
                                             "loading=\"lazy\" decoding=\"async\">",
                                             escape(views::thumb_url(site.config.public_base_url, r.name)), w, h))),
      fmt::arg("name", name), fmt::arg("created", escape(r.created_at)),
      fmt::arg("date", escape(shown_date(r.created_at))),
      fmt::arg("size", escape(units::human_size(static_cast<std::uint64_t>(r.size)))),
      fmt::arg("pub", listed ? " public" : ""),
      fmt::arg("vis", escape(listed ? i18n::tr("Public") : i18n::tr("Unlisted"))),
      fmt::arg("select", escape(i18n::tr("Select"))));
}

// The buttons that act on the selected images.  The checkboxes sit in the tiles, tied
// to this form by their form="bulk" attribute.
std::string bulk_bar(const AccountView& a, const std::vector<AlbumRecord>& albums) {
  std::string album_part;
  if (!albums.empty()) {
    std::string options;
    for (const auto& al : albums)
      options += fmt::format("<option value=\"{}\">{}</option>", escape(al.id), escape(album_title(al)));
    album_part = fmt::format(
        "<span class=\"to-album\"><label for=\"bulk-album\">{}</label><select id=\"bulk-album\" name=\"album\">{}"
        "</select><button class=\"secondary\" name=\"action\" value=\"album\">{}</button></span>",
        escape(i18n::tr("Album")), options, escape(i18n::tr("Add to the album")));
  }
  return fmt::format(
      "<form id=\"bulk\" class=\"card bulk-bar\" method=\"post\" action=\"/account/images\" "
      "aria-labelledby=\"bulk-title\">{csrf}<h2 id=\"bulk-title\" class=\"bulk-title\">{title}</h2>"
      "<p class=\"selected-count js-only\" role=\"status\" data-none=\"{none}\" data-some=\"{some}\"></p>"
      "<div class=\"bulk-actions\"><button class=\"danger\" name=\"action\" value=\"delete\">{del}</button>"
      "<button class=\"secondary\" name=\"action\" value=\"public\">{pub}</button>"
      "<button class=\"secondary\" name=\"action\" value=\"unlisted\">{unl}</button>{album}</div></form>",
      fmt::arg("csrf", csrf_field(a.csrf)), fmt::arg("title", escape(i18n::tr("With the selected images"))),
      fmt::arg("none", escape(i18n::tr("Select images with their checkboxes."))),
      fmt::arg("some", escape(i18n::tr("Selected: {}"))), fmt::arg("del", escape(i18n::tr("Delete…"))),
      fmt::arg("pub", escape(i18n::tr("Make public"))), fmt::arg("unl", escape(i18n::tr("Make unlisted"))),
      fmt::arg("album", album_part));
}

// Account forms: a card with large fields (at least 44 px on phones, site.css).
std::string account_form(const std::string& action, const std::string& csrf, const std::string& fields,
                         const std::string& button) {
  return fmt::format(
      "<form class=\"card account-form\" method=\"post\" action=\"{}\">{}{}<p><button "
      "type=\"submit\">{}</button></p></form>",
      escape(action), csrf_field(csrf), fields, escape(button));
}

}  // namespace

std::string account_bar(const AccountView& a) {
  return fmt::format(
      "<div class=\"card account\"><p>{who} · {used}</p><nav class=\"account-links\" aria-label=\"{nav}\">"
      "<a href=\"/account\">{images}</a> <a href=\"/account/albums\">{albums}</a> "
      "<a href=\"/account/tokens\">{tokens}</a> <a href=\"/upload\">{upload}</a></nav>"
      "<form method=\"post\" action=\"/logout\">{csrf}<button class=\"secondary small\" type=\"submit\">{out}"
      "</button></form></div>",
      fmt::arg("who", a.user.is_admin ? i18n::trf("Logged in as <strong>{}</strong> (admin)", escape(a.user.username))
                                      : i18n::trf("Logged in as <strong>{}</strong>", escape(a.user.username))),
      fmt::arg("used", escape(i18n::trf("{} of {} used", human_bytes(a.user.used_bytes), human_bytes(a.quota_bytes)))),
      fmt::arg("nav", escape(i18n::tr("Account"))), fmt::arg("images", escape(i18n::tr("My images"))),
      fmt::arg("albums", escape(i18n::tr("My albums"))), fmt::arg("tokens", escape(i18n::tr("API tokens"))),
      fmt::arg("upload", escape(i18n::tr("Upload"))), fmt::arg("csrf", csrf_field(a.csrf)),
      fmt::arg("out", escape(i18n::tr("Log out"))));
}

std::string signup_form(const Site& site, const std::string& error, const std::string& username,
                        const std::string& csrf) {
  const auto& c = site.config;
  const auto title = i18n::tr("Sign up");
  if (c.signup == SignupMode::closed)
    return layout(
        site, title,
        fmt::format("<h1>{}</h1><div class=\"card\"><p>{}</p><p><a href=\"/login\">{}</a></p></div>", escape(title),
                    escape(i18n::tr("Signup is closed here: an administrator creates accounts.")),
                    escape(i18n::tr("Log in"))),
        {Nav::account, false});
  const std::string invite =
      c.signup == SignupMode::invite
          ? fmt::format(
                "<label for=\"invite\">{}</label><input id=\"invite\" name=\"invite\" type=\"text\" required "
                "autocomplete=\"off\">",
                escape(i18n::tr("Invite code")))
          : "";
  const auto fields = fmt::format(
      "<label for=\"username\">{}</label>"
      "<input id=\"username\" name=\"username\" type=\"text\" required minlength=\"3\" maxlength=\"32\" "
      "pattern=\"[A-Za-z0-9][A-Za-z0-9_.\\-]{{2,31}}\" autocomplete=\"username\" value=\"{}\">"
      "<label for=\"password\">{}</label>"
      "<input id=\"password\" name=\"password\" type=\"password\" required minlength=\"8\" "
      "autocomplete=\"new-password\">{}",
      escape(i18n::tr("Username (3 to 32 letters, digits, _ . -)")), escape(username),
      escape(i18n::tr("Password (at least 8 characters)")), invite);
  return layout(site, title,
                fmt::format("<h1>{}</h1>{}{}<p>{} <a href=\"/login\">{}</a>.</p>", escape(title), error_card(error),
                            account_form("/signup", csrf, fields, i18n::tr("Create the account")),
                            escape(i18n::tr("Already have one?")), escape(i18n::tr("Log in"))),
                {Nav::account, false});
}

std::string login_form(const Site& site, const std::string& error, const std::string& username,
                       const std::string& csrf) {
  const auto title = i18n::tr("Log in");
  const auto fields = fmt::format(
      "<label for=\"username\">{}</label>"
      "<input id=\"username\" name=\"username\" type=\"text\" required autocomplete=\"username\" value=\"{}\">"
      "<label for=\"password\">{}</label>"
      "<input id=\"password\" name=\"password\" type=\"password\" required autocomplete=\"current-password\">",
      escape(i18n::tr("Username")), escape(username), escape(i18n::tr("Password")));
  return layout(site, title,
                fmt::format("<h1>{}</h1>{}{}<p>{} <a href=\"/signup\">{}</a>.</p>", escape(title), error_card(error),
                            account_form("/login", csrf, fields, title), escape(i18n::tr("No account yet?")),
                            escape(i18n::tr("Sign up"))),
                {Nav::account, false});
}

std::string my_images(const Site& site, const AccountView& a, const std::vector<ImageRecord>& items,
                      const std::vector<AlbumRecord>& albums, const std::optional<std::string>& next_cursor,
                      bool is_first_page) {
  std::string body = "<h1>" + escape(i18n::tr("My images")) + "</h1>" + account_bar(a);
  if (items.empty()) {
    body += fmt::format("<div class=\"card\"><p>{} <a href=\"/upload\">{}</a>.</p></div>",
                        escape(i18n::tr("No images yet.")), escape(i18n::tr("Upload one")));
  } else {
    body += bulk_bar(a, albums);
    body += "<ul class=\"owner-grid\" aria-label=\"" + escape(i18n::tr("My images")) + "\">";
    for (const auto& r : items) body += image_tile(site, r);
    body += "</ul>";
  }
  body += pager(
      i18n::tr("Pages of my images"),
      is_first_page ? std::nullopt : std::optional<PagerLink>({"/account", i18n::tr("Newest")}),
      next_cursor ? std::optional<PagerLink>({"/account?cursor=" + *next_cursor, i18n::tr("Older")}) : std::nullopt);
  return layout(site, i18n::tr("My images"), body, {Nav::account, true});
}

std::string tokens(const Site& site, const AccountView& a, const std::vector<TokenRecord>& rows,
                   const std::optional<CreatedToken>& created) {
  std::string body = "<h1>" + escape(i18n::tr("API tokens")) + "</h1>" + account_bar(a);
  if (created) {
    body += fmt::format(
        "<section class=\"card new-token\" aria-labelledby=\"new-token-title\"><h2 id=\"new-token-title\">{title}</h2>"
        "<p>{once}</p><div class=\"code token-field\"><label for=\"new-token\">{label}</label>"
        "<input id=\"new-token\" type=\"text\" readonly spellcheck=\"false\" data-code=\"token\" value=\"{secret}\">"
        "</div><form method=\"post\" action=\"/account/tokens/sharex\" class=\"sharex-download\">{csrf}"
        "<input type=\"hidden\" name=\"token\" value=\"{secret}\"><button type=\"submit\">{download}</button> "
        "<span class=\"hint\">{sharex_hint}</span></form>"
        "<p class=\"hint\">{curl_hint}</p><pre><code>curl -H \"Authorization: Bearer {secret}\" -F file=@cat.jpg "
        "{site}/api/v1/images</code></pre></section>",
        fmt::arg("title", escape(i18n::trf("Token “{}” created", created->name))),
        fmt::arg("once", escape(i18n::tr("Copy it now: it is shown only once. Keep it as you would a password."))),
        fmt::arg("label", escape(i18n::tr("Your new token"))), fmt::arg("secret", escape(created->secret)),
        fmt::arg("csrf", csrf_field(a.csrf)), fmt::arg("download", escape(i18n::tr("Download imghost.sxcu"))),
        fmt::arg("sharex_hint", escape(i18n::tr("ShareX: open the file and it uploads with this token."))),
        fmt::arg("curl_hint", escape(i18n::tr("From a terminal:"))), fmt::arg("site", escape(created->site)));
  }
  body += "<section class=\"card\" aria-labelledby=\"tokens-title\"><h2 id=\"tokens-title\">" +
          escape(i18n::tr("Your tokens")) + "</h2>";
  if (rows.empty()) body += "<p>" + escape(i18n::tr("No tokens yet.")) + "</p>";
  if (!rows.empty()) body += "<ul class=\"token-list\">";
  for (const auto& t : rows)
    body += fmt::format(
        "<li><div><strong>{name}</strong><p class=\"meta\">{created} · {used}</p></div>"
        "<a class=\"button secondary danger-text\" href=\"/account/tokens/{id}/revoke\">{revoke}"
        "<span class=\"visually-hidden\"> {name}</span></a></li>",
        fmt::arg("name", escape(t.name)),
        fmt::arg("created", escape(i18n::trf("created {}", shown_time(t.created_at)))),
        fmt::arg("used", escape(t.last_used_at ? i18n::trf("last used {}", shown_time(*t.last_used_at))
                                               : i18n::tr("never used"))),
        fmt::arg("id", escape(t.id)), fmt::arg("revoke", escape(i18n::tr("Revoke…"))));
  if (!rows.empty()) body += "</ul>";
  body += "</section>";
  body += account_form("/account/tokens", a.csrf,
                       fmt::format("<h2>{}</h2><label for=\"name\">{}</label>"
                                   "<input id=\"name\" name=\"name\" type=\"text\" required maxlength=\"100\" "
                                   "value=\"ShareX\">",
                                   escape(i18n::tr("A new token")), escape(i18n::tr("Its name"))),
                       i18n::tr("Create a token"));
  return layout(site, i18n::tr("API tokens"), body, {Nav::account, true});
}

std::string revoke_token_confirm(const Site& site, const AccountView& a, const TokenRecord& t) {
  const auto title = i18n::trf("Revoke the token “{}”?", t.name);
  return layout(
      site, title,
      fmt::format("<h1>{}</h1><div class=\"card\"><p>{}</p><form method=\"post\" "
                  "action=\"/account/tokens/{}/revoke\" class=\"confirm-actions\">{}"
                  "<button class=\"danger\" type=\"submit\">{}</button> "
                  "<a class=\"button secondary\" href=\"/account/tokens\">{}</a></form></div>",
                  escape(title),
                  escape(i18n::tr("Programs that upload with it (ShareX, scripts) stop working at once. "
                                  "This cannot be undone.")),
                  escape(t.id), csrf_field(a.csrf), escape(i18n::tr("Revoke it")), escape(i18n::tr("Keep it"))),
      {Nav::account, true});
}

}  // namespace imghost::pages
