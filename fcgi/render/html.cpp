#include "render/html.hpp"

#include <fmt/format.h>

#include "domain/translate.hpp"
#include "render/script_messages.hpp"

namespace imghost::pages {

std::string escape(std::string_view s) {
  std::string out;
  out.reserve(s.size() + 16);
  for (const char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out.push_back(c);
    }
  }
  return out;
}

std::string html_lang(std::string_view language) {
  std::string out(language);
  for (auto& c : out)
    if (c == '_') c = '-';
  return out;
}

namespace {

std::string nav_link(std::string_view href, std::string_view text, bool current) {
  return fmt::format("<a href=\"{}\"{}>{}</a>", href, current ? " aria-current=\"page\"" : "", text);
}

// A link to each language the site speaks but the page's, named in that language: the
// switcher.  A plain link (`?lang=ru`, the worker remembers the choice in a cookie), so
// it works without JavaScript on every page, whatever its path.
std::string language_links(const Site& site) {
  std::string out;
  for (const auto& l : site.config.languages) {
    if (l == i18n::language() || !i18n::available(l)) continue;
    // TRANSLATORS: the name of this catalog's language, in itself ("Русский").
    const auto name = i18n::msg("English").in(l);
    out += fmt::format("<a class=\"lang\" href=\"?lang={0}\" hreflang=\"{1}\" lang=\"{1}\">{2}</a>", escape(l),
                       escape(html_lang(l)), escape(name));
  }
  return out;
}

// The script's words in the page's language (script_messages.hpp), or nothing.
std::string messages_attribute() {
  const auto json = script_messages();
  return json.empty() ? std::string() : " data-messages=\"" + escape(json) + "\"";
}

// "https://img.example" of "https://img.example/path": what a CSP source names.
std::string origin_of(const std::string& url) {
  const auto scheme = url.find("://");
  if (scheme == std::string::npos) return {};
  const auto end = url.find('/', scheme + 3);
  return url.substr(0, end);
}

thread_local bool admin_link_shown = false;

}  // namespace

void show_admin_link(bool shown) { admin_link_shown = shown; }

std::string pager(std::string_view label, const std::optional<PagerLink>& first, const std::optional<PagerLink>& next) {
  if (!first && !next) return {};
  std::string out = "<nav class=\"pager\" aria-label=\"" + escape(label) + "\">";
  if (first) out += fmt::format("<a href=\"{}\">&laquo; {}</a>", escape(first->href), escape(first->text));
  if (next) out += fmt::format("<a href=\"{}\">{} &raquo;</a>", escape(next->href), escape(next->text));
  return out + "</nav>";
}

std::string csrf_field(std::string_view token) {
  if (token.empty()) return {};
  return "<input type=\"hidden\" name=\"csrf\" value=\"" + escape(token) + "\">";
}

std::string content_security_policy(const Config& c) {
  std::string img = "'self' data: blob:";
  const auto origin = origin_of(c.public_base_url);
  // The origin goes into a header: only characters a URL origin may hold.
  // Videos play from the same places; blob: is the upload form's preview of a chosen file.
  std::string media = "'self' blob:";
  if (!origin.empty() && origin.find_first_of(" ;,'\"\r\n") == std::string::npos) {
    img += " " + origin;
    media += " " + origin;
  }
  return fmt::format(
      "default-src 'self'; img-src {}; media-src {}; script-src 'self'; style-src 'self'; object-src 'none'; "
      "base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
      img, media);
}

std::string layout(const Site& site, std::string_view title, std::string_view body, PageOptions options) {
  const auto& a = site.assets;
  return fmt::format(
      "<!doctype html>\n<html lang=\"{lang}\"><head><meta charset=\"utf-8\">"
      "<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">"
      "<title>{title} · imghost</title>"
      "{robots}{head}"
      "<link rel=\"icon\" href=\"{icon}\" type=\"image/svg+xml\">"
      "<link rel=\"stylesheet\" href=\"{css}\">"
      "<script src=\"{js}\" defer></script></head>\n<body{messages}>"
      "<a class=\"skip\" href=\"#main\">{skip}</a>"
      "<header class=\"top\"><nav aria-label=\"{main_nav}\">"
      "<a class=\"brand\" href=\"/\"{home_current}><img src=\"{icon}\" alt=\"\" width=\"28\" height=\"28\">"
      "<span>imghost</span></a>"
      "{upload}{catalog}{mine}{account}{admin}{languages}</nav></header>\n"
      "<main id=\"main\">{body}</main>\n"
      "<footer class=\"bottom\"><p>{footer} "
      "<a href=\"/images/\">{public_catalog}</a> · <a href=\"/api/v1/openapi.yaml\">{api}</a></p>"
      "<p id=\"announce\" class=\"visually-hidden\" aria-live=\"polite\"></p></footer>"
      "</body></html>\n",
      fmt::arg("lang", escape(html_lang(i18n::language()))), fmt::arg("title", escape(title)),
      fmt::arg("skip", escape(i18n::tr("Skip to the content"))), fmt::arg("main_nav", escape(i18n::tr("Main"))),
      fmt::arg("footer", escape(i18n::tr("imghost: self-hosted image hosting."))),
      fmt::arg("public_catalog", escape(i18n::tr("Public catalog"))),
      fmt::arg("api", escape(i18n::tr("API (OpenAPI)"))), fmt::arg("languages", language_links(site)),
      fmt::arg("messages", messages_attribute()),
      fmt::arg("robots", options.noindex ? "<meta name=\"robots\" content=\"noindex\">" : ""),
      fmt::arg("head", options.head), fmt::arg("icon", escape(a.icon)), fmt::arg("css", escape(a.stylesheet)),
      fmt::arg("js", escape(a.script)),
      fmt::arg("home_current", options.nav == Nav::home ? " aria-current=\"page\"" : ""),
      fmt::arg("upload", nav_link("/upload", escape(i18n::tr("Upload")), options.nav == Nav::upload)),
      fmt::arg("catalog", nav_link("/images/", escape(i18n::tr("Catalog")), options.nav == Nav::catalog)),
      fmt::arg("mine", nav_link("/mine", escape(i18n::tr("My uploads")), options.nav == Nav::mine)),
      // The same link for everyone: /account sends a visitor without a session to the
      // login form, so the layout needs no per-request state.
      fmt::arg("account", nav_link("/account", escape(i18n::tr("Account")), options.nav == Nav::account)),
      fmt::arg("admin", admin_link_shown ? nav_link("/admin", escape(i18n::tr("Admin")), options.nav == Nav::admin)
                                         : std::string()),
      fmt::arg("body", body));
}

}  // namespace imghost::pages
