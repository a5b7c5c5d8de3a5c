#include "render/account_pages.hpp"

#include <fmt/format.h>

#include "render/html.hpp"
#include "render/json.hpp"

namespace imghost::pages {
namespace {

std::string human_bytes(long long n) {
  const double d = static_cast<double>(n);
  if (n >= (1ll << 30)) return fmt::format("{:.1f} GiB", d / (1ll << 30));
  if (n >= (1ll << 20)) return fmt::format("{:.1f} MiB", d / (1ll << 20));
  if (n >= (1ll << 10)) return fmt::format("{:.1f} KiB", d / (1ll << 10));
  return fmt::format("{} bytes", n);
}

std::string error_card(const std::string& error) {
  return error.empty() ? std::string() : "<div class=\"card error\"><p>" + escape(error) + "</p></div>";
}

// The account's bar: who is logged in, links, and the logout form.
std::string account_bar(const AccountView& a) {
  return fmt::format(
      "<div class=\"card account\"><p>Logged in as <strong>{}</strong>{} &middot; {} of {} used &middot; "
      "<a href=\"/account\">My images</a> &middot; <a href=\"/account/tokens\">API tokens</a> &middot; "
      "<a href=\"/upload\">Upload</a></p>"
      "<form method=\"post\" action=\"/logout\">{}<button type=\"submit\">Log out</button></form></div>",
      escape(a.user.username), a.user.is_admin ? " (admin)" : "", human_bytes(a.user.used_bytes),
      human_bytes(a.quota_bytes), csrf_field(a.csrf));
}

}  // namespace

std::string signup_form(const Site& site, const std::string& error, const std::string& username,
                        const std::string& csrf) {
  const auto& c = site.config;
  if (c.signup == SignupMode::closed)
    return layout(site, "Sign up",
                  "<h1>Sign up</h1><div class=\"card\"><p>Signup is closed here: an administrator "
                  "creates accounts.</p><p><a href=\"/login\">Log in</a></p></div>",
                  {Nav::account, false});
  const std::string invite = c.signup == SignupMode::invite
                                 ? "<label for=\"invite\">Invite code</label>"
                                   "<input id=\"invite\" name=\"invite\" required autocomplete=\"off\">"
                                 : "";
  return layout(site, "Sign up",
                fmt::format("<h1>Sign up</h1>{}<form class=\"card\" method=\"post\" action=\"/signup\">{}"
                            "<label for=\"username\">Username (3 to 32 letters, digits, _ . -)</label>"
                            "<input id=\"username\" name=\"username\" required minlength=\"3\" maxlength=\"32\" "
                            "pattern=\"[A-Za-z0-9][A-Za-z0-9_.\\-]{{2,31}}\" autocomplete=\"username\" value=\"{}\">"
                            "<label for=\"password\">Password (at least 8 characters)</label>"
                            "<input id=\"password\" name=\"password\" type=\"password\" required minlength=\"8\" "
                            "autocomplete=\"new-password\">{}"
                            "<p><button type=\"submit\">Create the account</button></p></form>"
                            "<p>Already have one? <a href=\"/login\">Log in</a>.</p>",
                            error_card(error), csrf_field(csrf), escape(username), invite),
                {Nav::account, false});
}

std::string login_form(const Site& site, const std::string& error, const std::string& username,
                       const std::string& csrf) {
  return layout(site, "Log in",
                fmt::format("<h1>Log in</h1>{}<form class=\"card\" method=\"post\" action=\"/login\">{}"
                            "<label for=\"username\">Username</label>"
                            "<input id=\"username\" name=\"username\" required autocomplete=\"username\" value=\"{}\">"
                            "<label for=\"password\">Password</label>"
                            "<input id=\"password\" name=\"password\" type=\"password\" required "
                            "autocomplete=\"current-password\">"
                            "<p><button type=\"submit\">Log in</button></p></form>"
                            "<p>No account yet? <a href=\"/signup\">Sign up</a>.</p>",
                            error_card(error), csrf_field(csrf), escape(username)),
                {Nav::account, false});
}

std::string my_images(const Site& site, const AccountView& a, const std::vector<ImageRecord>& items,
                      const std::optional<std::string>& next_cursor, bool is_first_page) {
  std::string body = "<h1>My images</h1>" + account_bar(a);
  if (items.empty()) body += "<div class=\"card\"><p>No images yet. <a href=\"/upload\">Upload one</a>.</p></div>";
  body += "<div class=\"grid mine\">";
  for (const auto& r : items) {
    body += fmt::format(
        "<div class=\"tile\"><a href=\"{0}\"><img loading=\"lazy\" src=\"{1}\" alt=\"{2}\"></a><br><small>{3}</small>"
        "<form method=\"post\" action=\"/delete/{4}\">{5}<button class=\"danger\" "
        "type=\"submit\">Delete</button></form>"
        "</div>",
        escape(views::image_url("", r.name)), escape(views::thumb_url("", r.name)),
        escape(r.description.value_or(r.original_filename)), escape(r.original_filename), escape(r.id),
        csrf_field(a.csrf));
  }
  body += "</div><div class=\"pager\">";
  if (!is_first_page) body += "<a href=\"/account\">&laquo; Newest</a>";
  if (next_cursor) body += fmt::format("<a href=\"/account?cursor={}\">Older &raquo;</a>", escape(*next_cursor));
  body += "</div>";
  return layout(site, "My images", body, {Nav::account, true});
}

std::string tokens(const Site& site, const AccountView& a, const std::vector<TokenRecord>& rows,
                   const std::optional<CreatedToken>& created) {
  std::string body = "<h1>API tokens</h1>" + account_bar(a);
  if (created) {
    body += fmt::format(
        "<div class=\"card result\"><p>Token <strong>{}</strong> created. Copy it now: it is shown only once.</p>"
        "<label for=\"new-token\">Token</label><input id=\"new-token\" type=\"text\" readonly value=\"{}\">"
        "<p><code>curl -H \"Authorization: Bearer {}\" -F file=@cat.jpg {}/api/v1/images</code></p>"
        "<label for=\"new-token-sharex\">ShareX custom uploader (save as imghost.sxcu and open it)</label>"
        "<textarea id=\"new-token-sharex\" readonly rows=\"14\">{}</textarea></div>",
        escape(created->name), escape(created->secret), escape(created->secret), escape(created->site),
        escape(created->sharex));
  }
  body +=
      "<div class=\"card\"><table><tr><th>Name</th><th>Created</th><th>Last used</th><th><span "
      "class=\"visually-hidden\">Actions</span></th></tr>";
  for (const auto& t : rows)
    body += fmt::format(
        "<tr><td>{}</td><td>{}</td><td>{}</td><td><form method=\"post\" action=\"/account/tokens/{}/revoke\">{}"
        "<button class=\"danger\" type=\"submit\">Revoke</button></form></td></tr>",
        escape(t.name), escape(t.created_at), escape(t.last_used_at.value_or("never")), escape(t.id),
        csrf_field(a.csrf));
  body += "</table></div>";
  body += fmt::format(
      "<form class=\"card\" method=\"post\" action=\"/account/tokens\">{}<label for=\"name\">New token's name</label>"
      "<input id=\"name\" name=\"name\" required maxlength=\"100\" value=\"ShareX\">"
      "<p><button type=\"submit\">Create a token</button></p></form>",
      csrf_field(a.csrf));
  return layout(site, "API tokens", body, {Nav::account, true});
}

}  // namespace imghost::pages
