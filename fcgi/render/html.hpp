// HTML building blocks.  Every piece of text that did not come from this source file
// goes through escape(): one place decides what is safe in HTML.
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "domain/config.hpp"
#include "domain/static_assets.hpp"

namespace imghost::pages {

// Escapes & < > " ' for text and attribute values alike.
std::string escape(std::string_view s);

// A language as HTML's lang attribute writes it ("pt_BR" → "pt-BR").
std::string html_lang(std::string_view language);

// What every page needs of the site: its settings (limits, public base URL) and the
// versioned URLs of its style sheet, script and icon.  Both outlive the page.
struct Site {
  const Config& config;
  const StaticAssets& assets;
};

// Which item of the top navigation a page belongs to (aria-current).
enum class Nav { none, home, upload, catalog, mine, account, admin };

struct PageOptions {
  Nav nav = Nav::none;
  bool noindex = false;        // unlisted images and pages with private links stay out of search engines
  std::string_view head = {};  // more of <head>, already HTML: a page's link preview tags (link_preview.hpp)
};

// The whole document around `body` (already HTML), in the current language
// (domain/translate.hpp: <html lang>, the words of the frame): the style sheet and the
// script as external files (the Content-Security-Policy allows no inline script or
// style), the navigation with the language switcher, the main landmark, the footer.
std::string layout(const Site& site, std::string_view title, std::string_view body, PageOptions options = {});

// Whether the pages of the request this thread is answering show the navigation's link
// to /admin: only an admin's.  The router clears it before each request; the handlers
// set it once they know the caller is an admin (handlers/auth.cpp: identify).  Per
// thread, like the page's language.
void show_admin_link(bool shown);

// The Content-Security-Policy of every page: only this site's own script, style, fonts
// and forms; images also from the public base URL's origin (when set) and from data: and
// blob: URLs (previews before an upload); no framing, no plugins, no <base>.
std::string content_security_policy(const Config& c);

// The navigation between the pages of a list: a link back to its first page (`first`,
// given unless this is the first page) and one to the next (`next`, given when there is
// one); "" when neither is.  `label` names the navigation for assistive technology.
struct PagerLink {
  std::string href;
  std::string text;
};
std::string pager(std::string_view label, const std::optional<PagerLink>& first, const std::optional<PagerLink>& next);

// The hidden form field that carries a session's CSRF token ("" when `token` is "":
// an anonymous page needs none).
std::string csrf_field(std::string_view token);

}  // namespace imghost::pages
