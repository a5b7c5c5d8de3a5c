#include "render/admin_pages.hpp"

#include <fmt/format.h>

#include <algorithm>

#include "domain/thumbnail_geometry.hpp"
#include "domain/translate.hpp"
#include "render/json.hpp"
#include "render/units.hpp"

namespace imghost::pages {
namespace {

constexpr std::uint32_t kThumbBox = 120;

// An audit entry's action as the reader says it; the code itself stays in data-action.
std::string action_label(const std::string& action) {
  if (action == "takedown") return i18n::tr("take-down");
  if (action == "block") return i18n::tr("ban");
  if (action == "unblock") return i18n::tr("ban lifted");
  if (action == "dismiss") return i18n::tr("reports dismissed");
  if (action == "disable") return i18n::tr("account disabled");
  if (action == "enable") return i18n::tr("account enabled");
  if (action == "quota") return i18n::tr("quota set");
  if (action == "remove_uploads") return i18n::tr("uploads removed");
  return action;  // an action of a newer version, shown as its code
}

std::string shown_name(const ImageRecord& r) { return r.original_filename.empty() ? r.name : r.original_filename; }

// "2026-11-23 10:00 UTC" of "2026-11-23T10:00:00Z".
std::string shown_time(const std::string& iso) {
  if (iso.size() < 16) return iso;
  return iso.substr(0, 10) + " " + iso.substr(11, 5) + " UTC";
}

std::string time_tag(const std::string& iso) {
  return fmt::format("<time datetime=\"{}\">{}</time>", escape(iso), escape(shown_time(iso)));
}

std::string size_text(long long bytes) { return units::human_size(static_cast<std::uint64_t>(std::max(0LL, bytes))); }

std::string thumb(const Site& site, const ImageRecord& r) {
  const auto [w, h] = fit_within(static_cast<std::uint32_t>(r.width), static_cast<std::uint32_t>(r.height), kThumbBox);
  return fmt::format("<img src=\"{}\" width=\"{}\" height=\"{}\" alt=\"\" loading=\"lazy\" decoding=\"async\">",
                     escape(views::thumb_url(site.config.public_base_url, r.name)), w, h);
}

std::string owner_text(const std::optional<std::string>& owner) {
  if (!owner) return escape(i18n::tr("anonymous"));
  return fmt::format("<a href=\"/admin/users/{0}\">{0}</a>", escape(*owner));
}

// The area's own navigation, under the page's title.
std::string admin_nav(AdminSection current) {
  struct Item {
    AdminSection section;
    const char* href;
    std::string text;
  };
  const Item items[] = {{AdminSection::dashboard, "/admin", i18n::tr("Dashboard")},
                        {AdminSection::reports, "/admin/reports", i18n::tr("Reports")},
                        {AdminSection::users, "/admin/users", i18n::tr("Users")},
                        {AdminSection::search, "/admin/search", i18n::tr("Search")},
                        {AdminSection::audit, "/admin/audit", i18n::tr("Audit log")}};
  std::string out = "<nav class=\"admin-nav\" aria-label=\"" + escape(i18n::tr("Admin area")) + "\">";
  for (const auto& i : items)
    out += fmt::format("<a href=\"{}\"{}>{}</a>", i.href, i.section == current ? " aria-current=\"page\"" : "",
                       escape(i.text));
  return out + "</nav>";
}

std::string notice_of(const std::string& notice) {
  if (notice.empty()) return {};
  return fmt::format("<p class=\"notice\" role=\"status\">{}</p>", escape(notice));
}

std::string admin_layout(const Site& site, AdminSection section, const std::string& title, const std::string& body,
                         const std::string& notice = {}) {
  return layout(site, title,
                fmt::format("<div class=\"admin\"><h1>{}</h1>{}{}{}</div>", escape(title), admin_nav(section),
                            notice_of(notice), body),
                {Nav::admin, true});
}

// The reason field every action asks for; `id` makes its label's target unique.
std::string reason_field(const std::string& id) {
  return fmt::format(
      "<label for=\"reason-{0}\">{1}</label>"
      "<input type=\"text\" id=\"reason-{0}\" name=\"reason\" required maxlength=\"1000\" autocomplete=\"off\">",
      escape(id), escape(i18n::tr("Reason (required; it goes into the audit log)")));
}

// --- the dashboard's chart ---------------------------------------------------------------

// Bars of the uploads per day, drawn here: one <rect> per day scaled to the busiest
// day, each with a <title> (hover) and the day's numbers as data attributes; the whole
// chart is one image to assistive technology, titled, and described by the text of
// every day's count.
std::string uploads_chart(const std::vector<DayCount>& days) {
  constexpr int kWidth = 600, kHeight = 150, kTop = 4;
  const int plot = kHeight - kTop;
  long long busiest = 1;
  long long total = 0;
  for (const auto& d : days) {
    busiest = std::max(busiest, d.uploads);
    total += d.uploads;
  }
  const int n = std::max<int>(1, static_cast<int>(days.size()));
  const double slot = static_cast<double>(kWidth) / n;
  std::string bars, described;
  for (int i = 0; i < static_cast<int>(days.size()); ++i) {
    const auto& d = days[static_cast<std::size_t>(i)];
    const double h =
        d.uploads == 0
            ? 0
            : std::max(1.0, static_cast<double>(plot) * static_cast<double>(d.uploads) / static_cast<double>(busiest));
    const auto text = i18n::trnf("{}: {} upload", "{}: {} uploads", static_cast<long>(d.uploads), d.day, d.uploads);
    bars += fmt::format(
        "<rect class=\"bar\" x=\"{:.1f}\" y=\"{:.1f}\" width=\"{:.1f}\" height=\"{:.1f}\" data-day=\"{}\" "
        "data-uploads=\"{}\"><title>{}</title></rect>",
        i * slot + 1, kTop + plot - h, std::max(1.0, slot - 2), h, escape(d.day), d.uploads, escape(text));
    described += (described.empty() ? "" : "; ") + text;
  }
  const auto first = days.empty() ? std::string() : days.front().day;
  const auto last = days.empty() ? std::string() : days.back().day;
  const auto title =
      i18n::trnf("Uploads per day, the last {} day: {} in all", "Uploads per day, the last {} days: {} in all",
                 static_cast<long>(days.size()), days.size(), total);
  // The words around the bars are HTML, not SVG text: the bars stretch to the width of
  // the page (preserveAspectRatio none), text in the drawing would stretch with them.
  return fmt::format(
      "<figure class=\"chart\"><p class=\"chart-max\">{max}</p>"
      "<svg viewBox=\"0 0 {w} {h}\" preserveAspectRatio=\"none\" role=\"img\" aria-labelledby=\"chart-title "
      "chart-desc\" xmlns=\"http://www.w3.org/2000/svg\">"
      "<title id=\"chart-title\">{title}</title><desc id=\"chart-desc\">{desc}</desc>{bars}"
      "<line class=\"axis\" x1=\"0\" y1=\"{h}\" x2=\"{w}\" y2=\"{h}\" vector-effect=\"non-scaling-stroke\"></line>"
      "</svg><p class=\"chart-days\"><span>{first}</span><span>{last}</span></p>"
      "<figcaption>{title}</figcaption></figure>",
      fmt::arg("w", kWidth), fmt::arg("h", kHeight), fmt::arg("title", escape(title)),
      fmt::arg("desc", escape(described)), fmt::arg("bars", bars), fmt::arg("first", escape(first)),
      fmt::arg("last", escape(last)), fmt::arg("max", escape(i18n::trf("most in a day: {}", busiest))));
}

std::string recent_grid(const Site& site, const std::vector<ImageRecord>& images) {
  if (images.empty()) return "<p>" + escape(i18n::tr("Nothing uploaded yet.")) + "</p>";
  std::string out = "<ul class=\"grid admin-recent\">";
  for (const auto& r : images)
    out += fmt::format("<li><a href=\"/i/{}\">{}<span class=\"caption\">{}</span></a></li>", escape(r.id),
                       thumb(site, r), escape(shown_name(r)));
  return out + "</ul>";
}

// --- items and their actions --------------------------------------------------------------

std::string image_summary(const Site& site, const ImageRecord& r) {
  return fmt::format(
      "<div class=\"admin-item\"><a class=\"thumb\" href=\"/i/{id}\" tabindex=\"-1\" aria-hidden=\"true\">{img}</a>"
      "<div class=\"item-text\"><a class=\"name\" href=\"/i/{id}\">{name}</a>"
      "<p class=\"meta\">{kind} · {size} · {when}</p><p class=\"meta\">{owner_label} {owner}</p>"
      "<p class=\"meta digest\">SHA-256 <code>{sha}</code></p></div></div>",
      fmt::arg("id", escape(r.id)), fmt::arg("img", thumb(site, r)), fmt::arg("name", escape(shown_name(r))),
      fmt::arg("kind", escape(r.kind == "video" ? i18n::tr("Video") : i18n::tr("Image"))),
      fmt::arg("size", escape(size_text(r.size))), fmt::arg("when", time_tag(r.created_at)),
      fmt::arg("owner_label", escape(i18n::tr("Owner:"))), fmt::arg("owner", owner_text(r.owner)),
      fmt::arg("sha", escape(r.sha256)));
}

std::string album_summary(const AlbumRecord& a) {
  const auto title = a.title ? *a.title : i18n::tr("Untitled album");
  return fmt::format(
      "<div class=\"admin-item\"><div class=\"item-text\"><a class=\"name\" href=\"/a/{id}\">{title}</a>"
      "<p class=\"meta\">{what}</p><p class=\"meta\">{owner_label} {owner}</p></div></div>",
      fmt::arg("id", escape(a.id)), fmt::arg("title", escape(title)),
      fmt::arg("what", escape(i18n::trnf("Album of {} item", "Album of {} items", static_cast<long>(a.item_count),
                                         a.item_count))),
      fmt::arg("owner_label", escape(i18n::tr("Owner:"))), fmt::arg("owner", owner_text(a.owner)));
}

std::string reason_name(const std::string& reason) {
  if (reason == "spam") return i18n::tr("Spam or advertising");
  if (reason == "illegal") return i18n::tr("Illegal content");
  if (reason == "copyright") return i18n::tr("It infringes my copyright");
  if (reason == "privacy") return i18n::tr("It shows me or my data without my consent");
  return i18n::tr("Something else");
}

std::string reports_list(const std::vector<ReportRecord>& reports) {
  std::string out = "<ul class=\"report-list\">";
  for (const auto& r : reports) {
    out += fmt::format("<li><strong>{}</strong> · {} · {}", escape(reason_name(r.reason)), time_tag(r.created_at),
                       r.reporter ? escape(*r.reporter) : escape(i18n::tr("anonymous")));
    if (r.details) out += "<p class=\"details\">" + escape(*r.details) + "</p>";
    out += "</li>";
  }
  return out + "</ul>";
}

}  // namespace

std::string admin_dashboard(const Site& site, const Dashboard& d) {
  struct Count {
    const char* key;
    std::string label;
    std::string value;
  };
  const auto& t = d.totals;
  const Count counts[] = {{"images", i18n::tr("Images"), std::to_string(t.images)},
                          {"videos", i18n::tr("Videos"), std::to_string(t.videos)},
                          {"albums", i18n::tr("Albums"), std::to_string(t.albums)},
                          {"users", i18n::tr("Users"), std::to_string(t.users)},
                          {"open-reports", i18n::tr("Open reports"), std::to_string(t.open_reports)},
                          {"storage", i18n::tr("Storage used"), size_text(t.stored_bytes)}};
  std::string dl = "<dl class=\"admin-counts\">";
  for (const auto& c : counts)
    dl += fmt::format("<div><dt>{}</dt><dd data-count=\"{}\"{}>{}</dd></div>", escape(c.label), c.key,
                      std::string_view(c.key) == "storage" ? fmt::format(" data-bytes=\"{}\"", t.stored_bytes) : "",
                      escape(c.value));
  dl += "</dl>";
  const auto body = fmt::format(
      "{counts}<section class=\"card\" aria-labelledby=\"chart-h\"><h2 id=\"chart-h\">{chart_h}</h2>{chart}</section>"
      "<section aria-labelledby=\"recent-h\"><h2 id=\"recent-h\">{recent_h}</h2>{recent}</section>",
      fmt::arg("counts", dl), fmt::arg("chart_h", escape(i18n::tr("Uploads per day"))),
      fmt::arg("chart", uploads_chart(d.per_day)), fmt::arg("recent_h", escape(i18n::tr("Recent uploads"))),
      fmt::arg("recent", recent_grid(site, d.recent)));
  return admin_layout(site, AdminSection::dashboard, i18n::tr("Admin dashboard"), body);
}

std::string admin_reports(const Site& site, const std::vector<ReportedItem>& items, const std::string& csrf,
                          const std::string& notice) {
  std::string body;
  if (items.empty()) body = "<p class=\"card\">" + escape(i18n::tr("No open reports.")) + "</p>";
  for (const auto& item : items) {
    std::string what;
    if (item.image)
      what = image_summary(site, *item.image);
    else if (item.album)
      what = album_summary(*item.album);
    else
      what = "<p class=\"meta\">" + escape(i18n::trf("{} is gone already.", item.target_id)) + "</p>";
    const bool present = item.image || item.album;
    std::string buttons;
    if (present)
      buttons +=
          "<button class=\"danger\" name=\"action\" value=\"takedown\">" + escape(i18n::tr("Take down")) + "</button> ";
    if (item.image)
      buttons += "<button class=\"danger\" name=\"action\" value=\"ban\">" +
                 escape(i18n::tr("Ban: take down and block the content")) + "</button> ";
    buttons += "<button class=\"secondary\" name=\"action\" value=\"dismiss\">" +
               escape(i18n::tr("Dismiss the reports")) + "</button>";
    body += fmt::format(
        "<section class=\"card reported\" data-target=\"{id}\" aria-label=\"{label}\">{what}"
        "<h2 class=\"reports-h\">{count}</h2>{reports}"
        "<form method=\"post\" action=\"/admin/reports\" class=\"admin-action\">{csrf}"
        "<input type=\"hidden\" name=\"target\" value=\"{id}\">{reason}<p class=\"actions\">{buttons}</p></form>"
        "</section>",
        fmt::arg("id", escape(item.target_id)), fmt::arg("label", escape(i18n::trf("Reports of {}", item.target_id))),
        fmt::arg("what", what),
        fmt::arg("count", escape(i18n::trnf("{} open report", "{} open reports", static_cast<long>(item.reports.size()),
                                            item.reports.size()))),
        fmt::arg("reports", reports_list(item.reports)), fmt::arg("csrf", csrf_field(csrf)),
        fmt::arg("reason", reason_field(item.target_id)), fmt::arg("buttons", buttons));
  }
  return admin_layout(site, AdminSection::reports, i18n::tr("Reports queue"), body, notice);
}

std::string admin_users(const Site& site, const UsersPage& page, const std::optional<std::string>& next_cursor,
                        bool is_first_page) {
  std::string body = "<ul class=\"admin-users\">";
  for (const auto& u : page.users) {
    std::string badges;
    if (u.is_admin) badges += " <span class=\"badge\">" + escape(i18n::tr("admin")) + "</span>";
    if (u.disabled) badges += " <span class=\"badge disabled\">" + escape(i18n::tr("disabled")) + "</span>";
    body += fmt::format(
        "<li class=\"card\" data-user=\"{name}\"><a class=\"name\" href=\"/admin/users/{name}\">{name}</a>{badges}"
        "<p class=\"meta\">{used} · {since}</p></li>",
        fmt::arg("name", escape(u.username)), fmt::arg("badges", badges),
        fmt::arg("used", escape(i18n::trf("{} used", size_text(u.used_bytes)))),
        fmt::arg("since", escape(i18n::trf("since {}", u.created_at.substr(0, 10)))));
  }
  body += "</ul>";
  body += pager(
      i18n::tr("Pages of accounts"),
      is_first_page ? std::nullopt : std::optional<PagerLink>({"/admin/users", i18n::tr("First")}),
      next_cursor ? std::optional<PagerLink>({"/admin/users?cursor=" + *next_cursor, i18n::tr("Next")}) : std::nullopt);
  return admin_layout(site, AdminSection::users, i18n::tr("Users"), body);
}

std::string admin_user(const Site& site, const UserRecord& u, long long uploads, long long quota_bytes,
                       const std::string& csrf, const std::string& notice) {
  const auto name = escape(u.username);
  const auto state = u.disabled ? i18n::tr("Disabled: cannot log in, its sessions ended, its API tokens refused")
                                : i18n::tr("Enabled");
  std::string body = fmt::format(
      "<dl class=\"facts card\"><dt>{state_h}</dt><dd data-state=\"{state_v}\">{state}</dd>"
      "<dt>{role_h}</dt><dd>{role}</dd><dt>{uploads_h}</dt><dd data-uploads=\"{uploads}\">{uploads}</dd>"
      "<dt>{used_h}</dt><dd>{used}</dd><dt>{quota_h}</dt><dd>{quota}{quota_kind}</dd>"
      "<dt>{since_h}</dt><dd>{since}</dd></dl>",
      fmt::arg("state_h", escape(i18n::tr("State"))), fmt::arg("state_v", u.disabled ? "disabled" : "enabled"),
      fmt::arg("state", escape(state)), fmt::arg("role_h", escape(i18n::tr("Role"))),
      fmt::arg("role", escape(u.is_admin ? i18n::tr("admin") : i18n::tr("user"))),
      fmt::arg("uploads_h", escape(i18n::tr("Uploads"))), fmt::arg("uploads", uploads),
      fmt::arg("used_h", escape(i18n::tr("Storage used"))), fmt::arg("used", escape(size_text(u.used_bytes))),
      fmt::arg("quota_h", escape(i18n::tr("Quota"))), fmt::arg("quota", escape(size_text(quota_bytes))),
      fmt::arg("quota_kind", u.quota_bytes ? "" : " " + escape(i18n::tr("(the default)"))),
      fmt::arg("since_h", escape(i18n::tr("Account since"))), fmt::arg("since", time_tag(u.created_at)));
  body += fmt::format(
      "<section class=\"card\" aria-labelledby=\"status-h\"><h2 id=\"status-h\">{h}</h2>"
      "<form method=\"post\" action=\"/admin/users/{name}/status\" class=\"admin-action\">{csrf}"
      "<input type=\"hidden\" name=\"action\" value=\"{action}\">{reason}"
      "<p class=\"actions\"><button class=\"{cls}\" type=\"submit\">{button}</button></p></form></section>",
      fmt::arg("h", escape(u.disabled ? i18n::tr("Enable the account") : i18n::tr("Disable the account"))),
      fmt::arg("name", name), fmt::arg("csrf", csrf_field(csrf)), fmt::arg("action", u.disabled ? "enable" : "disable"),
      fmt::arg("reason", reason_field("status")), fmt::arg("cls", u.disabled ? "secondary" : "danger"),
      fmt::arg("button", escape(u.disabled ? i18n::tr("Enable") : i18n::tr("Disable"))));
  body += fmt::format(
      "<section class=\"card\" aria-labelledby=\"quota-h\"><h2 id=\"quota-h\">{h}</h2>"
      "<form method=\"post\" action=\"/admin/users/{name}/quota\" class=\"admin-action\">{csrf}"
      "<label for=\"quota\">{label}</label><input type=\"text\" id=\"quota\" name=\"quota\" "
      "maxlength=\"20\" value=\"{value}\" aria-describedby=\"quota-hint\"><p id=\"quota-hint\" "
      "class=\"hint\">{hint}</p>"
      "{reason}<p class=\"actions\"><button type=\"submit\">{button}</button></p></form></section>",
      fmt::arg("h", escape(i18n::tr("Quota"))), fmt::arg("name", name), fmt::arg("csrf", csrf_field(csrf)),
      fmt::arg("label", escape(i18n::tr("New quota"))),
      fmt::arg("value", u.quota_bytes ? std::to_string(*u.quota_bytes) : std::string()),
      fmt::arg("hint", escape(i18n::tr("Bytes, or with a unit: 500M, 2G; empty for the site's default."))),
      fmt::arg("reason", reason_field("quota")), fmt::arg("button", escape(i18n::tr("Set the quota"))));
  body += fmt::format(
      "<section class=\"card danger-zone\" aria-labelledby=\"remove-h\"><h2 id=\"remove-h\">{h}</h2>"
      "<p><a class=\"button danger\" href=\"/admin/users/{name}/remove\">{link}</a></p></section>",
      fmt::arg("h", escape(i18n::tr("Remove their uploads"))), fmt::arg("name", name),
      fmt::arg("link", escape(i18n::tr("Remove all their uploads…"))));
  return admin_layout(site, AdminSection::users, i18n::trf("Account {}", u.username), body, notice);
}

std::string admin_remove_uploads_confirm(const Site& site, const UserRecord& u, long long uploads,
                                         const std::string& csrf) {
  const auto title = i18n::trnf("Remove {} upload of {}?", "Remove all {} uploads of {}?", static_cast<long>(uploads),
                                uploads, u.username);
  const auto body = fmt::format(
      "<div class=\"card confirm\" data-uploads=\"{n}\"><p>{warning}</p>"
      "<form method=\"post\" action=\"/admin/users/{name}/remove\" class=\"admin-action\">{csrf}{reason}"
      "<p class=\"confirm-actions\"><button class=\"danger\" type=\"submit\">{yes}</button> "
      "<a class=\"button secondary\" href=\"/admin/users/{name}\">{no}</a></p></form></div>",
      fmt::arg("n", uploads),
      fmt::arg("warning", escape(i18n::trn("Its page, file and thumbnail go at once. This cannot be undone.",
                                           "Their pages, files and thumbnails go at once. This cannot be undone.",
                                           static_cast<long>(uploads)))),
      fmt::arg("name", escape(u.username)), fmt::arg("csrf", csrf_field(csrf)),
      fmt::arg("reason", reason_field("remove")),
      fmt::arg("yes", escape(i18n::trnf("Remove {} upload", "Remove {} uploads", static_cast<long>(uploads), uploads))),
      fmt::arg("no", escape(i18n::tr("Keep them"))));
  return admin_layout(site, AdminSection::users, title, body);
}

std::string admin_search(const Site& site, const std::string& query, const std::vector<ImageRecord>& found,
                         const std::string& csrf, const std::string& notice) {
  std::string body = fmt::format(
      "<form class=\"card admin-search\" method=\"get\" action=\"/admin/search\" role=\"search\">"
      "<label for=\"q\">{label}</label><input type=\"text\" id=\"q\" name=\"q\" value=\"{q}\" maxlength=\"200\">"
      "<p class=\"actions\"><button type=\"submit\">{button}</button></p></form>",
      fmt::arg("label", escape(i18n::tr("Image id, file name, SHA-256 or owner's name"))), fmt::arg("q", escape(query)),
      fmt::arg("button", escape(i18n::tr("Search"))));
  if (!query.empty()) {
    body += fmt::format("<h2>{}</h2>",
                        escape(i18n::trnf("{} result", "{} results", static_cast<long>(found.size()), found.size())));
    body += "<ul class=\"admin-results\">";
    for (const auto& r : found)
      body += fmt::format(
          "<li class=\"card\" data-id=\"{id}\">{summary}"
          "<form method=\"post\" action=\"/admin/takedown\" class=\"admin-action\">{csrf}"
          "<input type=\"hidden\" name=\"target\" value=\"{id}\"><input type=\"hidden\" name=\"q\" value=\"{q}\">"
          "{reason}<p class=\"actions\"><button class=\"danger\" type=\"submit\">{button}</button></p></form></li>",
          fmt::arg("id", escape(r.id)), fmt::arg("summary", image_summary(site, r)), fmt::arg("csrf", csrf_field(csrf)),
          fmt::arg("q", escape(query)), fmt::arg("reason", reason_field(r.id)),
          fmt::arg("button", escape(i18n::tr("Take down"))));
    body += "</ul>";
  }
  return admin_layout(site, AdminSection::search, i18n::tr("Search"), body, notice);
}

std::string admin_audit(const Site& site, const std::vector<AuditRecord>& entries,
                        const std::optional<std::string>& next_cursor, bool is_first_page) {
  std::string body;
  if (entries.empty()) body = "<p class=\"card\">" + escape(i18n::tr("No admin action yet.")) + "</p>";
  if (!entries.empty()) body += "<ol class=\"audit-list\">";
  for (const auto& e : entries)
    body += fmt::format(
        "<li class=\"card\" data-action=\"{action}\" data-target=\"{target}\"><p>{when} · <strong>{actor}</strong> · "
        "{label} · <span class=\"target\">{target}</span></p><p class=\"reason\">{reason}</p></li>",
        fmt::arg("when", time_tag(e.created_at)), fmt::arg("actor", escape(e.actor)),
        fmt::arg("action", escape(e.action)), fmt::arg("label", escape(action_label(e.action))),
        fmt::arg("target", escape(e.target)), fmt::arg("reason", escape(e.reason)));
  if (!entries.empty()) body += "</ol>";
  body += pager(i18n::tr("Pages of the audit log"),
                is_first_page ? std::nullopt : std::optional<PagerLink>({"/admin/audit", i18n::tr("Newest")}),
                next_cursor ? std::optional<PagerLink>({"/admin/audit?cursor=" + *next_cursor, i18n::tr("Older")})
                            : std::nullopt);
  return admin_layout(site, AdminSection::audit, i18n::tr("Audit log"), body);
}

}  // namespace imghost::pages
