#include "render/html.hpp"

#include <fmt/format.h>

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

namespace {

std::string nav_link(std::string_view href, std::string_view text, bool current) {
  return fmt::format("<a href=\"{}\"{}>{}</a>", href, current ? " aria-current=\"page\"" : "", text);
}

// "https://img.example" of "https://img.example/path": what a CSP source names.
std::string origin_of(const std::string& url) {
  const auto scheme = url.find("://");
  if (scheme == std::string::npos) return {};
  const auto end = url.find('/', scheme + 3);
  return url.substr(0, end);
}

}  // namespace

std::string csrf_field(std::string_view token) {
  if (token.empty()) return {};
  return "<input type=\"hidden\" name=\"csrf\" value=\"" + escape(token) + "\">";
}

std::string content_security_policy(const Config& c) {
  std::string img = "'self' data: blob:";
  const auto origin = origin_of(c.public_base_url);
  // The origin goes into a header: only characters a URL origin may hold.
  if (!origin.empty() && origin.find_first_of(" ;,'\"\r\n") == std::string::npos) img += " " + origin;
  return fmt::format(
      "default-src 'self'; img-src {}; script-src 'self'; style-src 'self'; object-src 'none'; "
      "base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
      img);
}

std::string layout(const Site& site, std::string_view title, std::string_view body, PageOptions options) {
  const auto& a = site.assets;
  return fmt::format(
      "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
      "<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">"
      "<title>{title} · imghost</title>"
      "{robots}{head}"
      "<link rel=\"icon\" href=\"{icon}\" type=\"image/svg+xml\">"
      "<link rel=\"stylesheet\" href=\"{css}\">"
      "<script src=\"{js}\" defer></script></head>\n<body>"
      "<a class=\"skip\" href=\"#main\">Skip to the content</a>"
      "<header class=\"top\"><nav aria-label=\"Main\">"
      "<a class=\"brand\" href=\"/\"{home_current}><img src=\"{icon}\" alt=\"\" width=\"28\" height=\"28\">"
      "<span>imghost</span></a>"
      "{upload}{catalog}{mine}{account}</nav></header>\n"
      "<main id=\"main\">{body}</main>\n"
      "<footer class=\"bottom\"><p>imghost: self-hosted image hosting. "
      "<a href=\"/images/\">Public catalog</a> · <a href=\"/api/v1/openapi.yaml\">API (OpenAPI)</a></p>"
      "<p id=\"announce\" class=\"visually-hidden\" aria-live=\"polite\"></p></footer>"
      "</body></html>\n",
      fmt::arg("title", escape(title)),
      fmt::arg("robots", options.noindex ? "<meta name=\"robots\" content=\"noindex\">" : ""),
      fmt::arg("head", options.head), fmt::arg("icon", escape(a.icon)), fmt::arg("css", escape(a.stylesheet)),
      fmt::arg("js", escape(a.script)),
      fmt::arg("home_current", options.nav == Nav::home ? " aria-current=\"page\"" : ""),
      fmt::arg("upload", nav_link("/upload", "Upload", options.nav == Nav::upload)),
      fmt::arg("catalog", nav_link("/images/", "Catalog", options.nav == Nav::catalog)),
      fmt::arg("mine", nav_link("/mine", "My uploads", options.nav == Nav::mine)),
      // The same link for everyone: /account sends a visitor without a session to the
      // login form, so the layout needs no per-request state.
      fmt::arg("account", nav_link("/account", "Account", options.nav == Nav::account)), fmt::arg("body", body));
}

}  // namespace imghost::pages
