#include "admin/nginx_sed.hpp"

#include <algorithm>
#include <string>
#include <string_view>
#include <vector>

#include "domain/translate.hpp"
#include "render/json.hpp"

namespace imghost::admin {
namespace {

// Seconds until one more request is allowed at `rate` (Retry-After).
unsigned retry_after(const RateLimit& rate) { return (60 + rate.per_minute - 1) / rate.per_minute; }

// One of nginx's own JSON answers: the map variable it is kept in, its code and message.
struct NginxError {
  std::string variable;
  std::string code;
  i18n::Message message;
};

std::vector<NginxError> nginx_errors(const Config& c) {
  return {
      {"imghost_error_too_large", "too_large", i18n::msg("the request body is over the upload limit")},
      // nginx cannot know whether a worker that died mid-request had committed: no promise.
      {"imghost_error_unavailable", "unavailable", i18n::msg("the service is unavailable; try again")},
      {"imghost_error_not_found", "not_found", i18n::msg("no such image")},
      {"imghost_error_upload_limited", "rate_limited",
       i18n::msg("too many uploads from this address; retry after {} s", retry_after(c.upload_rate))},
      {"imghost_error_login_limited", "rate_limited",
       i18n::msg("too many login attempts from this address; retry after {} s", retry_after(c.login_rate))},
      {"imghost_error_album_limited", "rate_limited",
       i18n::msg("too many albums created from this address; retry after {} s", retry_after(c.album_rate))},
      {"imghost_error_signup_limited", "rate_limited",
       i18n::msg("too many signups from this address; retry after {} s", retry_after(c.signup_rate))},
      // The report zone's rate is fixed in the site (6 a minute).
      {"imghost_error_report_limited", "rate_limited",
       i18n::msg("too many reports from this address; retry after {} s", 10)},
  };
}

// `text` as a single-quoted nginx string: nginx's parser takes \\ and \' back.  A '$'
// would start a variable there; no message has one, and a translation that adds one is
// refused rather than written into the site.
std::string nginx_quoted(std::string_view text) {
  std::string out = "'";
  for (const char ch : text) {
    if (ch == '$') throw std::runtime_error("an nginx message must not hold '$': " + std::string(text));
    if (ch == '\\' || ch == '\'') out += '\\';
    out += ch;
  }
  return out + "\\n'";
}

// A language's name as a regular expression of a language tag: '_' and '-' alike.
std::string tag_pattern(std::string_view language) {
  std::string out;
  for (const char ch : language) out += (ch == '_' || ch == '-') ? std::string("[-_]") : std::string(1, ch);
  return out;
}

// The maps, as nginx configuration lines.  The language is the worker's rule (http/
// language.hpp) as far as nginx's maps can follow it: the `lang` cookie when it names a
// configured language, else the first language of Accept-Language that is configured
// and not refused with q=0, else the default.  nginx cannot compare q-values; browsers
// list languages by preference, so the first one listed is theirs (a client that sends
// "ru;q=0.2, en;q=0.9" gets Russian from nginx and English from the workers).
std::vector<std::string> language_maps(const Config& c) {
  // Longest first: "pt_br" is tried before "pt".
  auto languages = c.languages;
  std::stable_sort(languages.begin(), languages.end(),
                   [](const std::string& a, const std::string& b) { return a.size() > b.size(); });
  std::string alternatives;
  for (const auto& l : languages) alternatives += (alternatives.empty() ? "" : "|") + tag_pattern(l);

  std::vector<std::string> lines;
  lines.push_back("# nginx's own JSON errors in the asker's language (imghost-admin config nginx-sed).");
  lines.push_back("map $cookie_lang $imghost_cookie_language {");
  lines.push_back("    default  \"\";");
  for (const auto& l : c.languages) lines.push_back("    " + l + "  " + l + ";");
  lines.push_back("}");
  lines.push_back("map $http_accept_language $imghost_accepted_tag {");
  lines.push_back("    \"~*^(?:[^,]*,)*?\\s*(?<imghost_tag>(?:" + alternatives +
                  ")(?:[-_][a-z0-9]+)*)(?!\\s*;\\s*q\\s*=\\s*0(?:\\.0*)?\\s*(?:,|$))\\s*(?:;[^,]*)?(?:,|$)\""
                  "  $imghost_tag;");
  lines.push_back("    default  \"\";");
  lines.push_back("}");
  lines.push_back("map $imghost_accepted_tag $imghost_accepted_language {");
  for (const auto& l : languages) lines.push_back("    \"~*^" + tag_pattern(l) + "(?:[-_]|$)\"  " + l + ";");
  lines.push_back("    default  " + c.default_language + ";");
  lines.push_back("}");
  lines.push_back("map $imghost_cookie_language $imghost_language {");
  lines.push_back("    \"\"  $imghost_accepted_language;");
  lines.push_back("    default  $imghost_cookie_language;");
  lines.push_back("}");
  for (const auto& e : nginx_errors(c)) {
    lines.push_back("map $imghost_language $" + e.variable + " {");
    lines.push_back("    default  " + nginx_quoted(views::error_json(e.code, e.message.in("en"))) + ";");
    for (const auto& l : c.languages)
      if (l != "en")
        lines.push_back("    " + l + "  " + nginx_quoted(views::error_json(e.code, e.message.in(l))) + ";");
    lines.push_back("}");
  }
  return lines;
}

// sed's c\ command: the line that is exactly `placeholder` becomes `lines`.
void print_replacement(std::FILE* out, std::string_view placeholder, const std::vector<std::string>& lines) {
  std::fprintf(out, "/^%.*s$/c\\\n", static_cast<int>(placeholder.size()), placeholder.data());
  for (std::size_t i = 0; i < lines.size(); ++i) {
    std::string escaped;
    for (const char ch : lines[i]) {
      if (ch == '\\') escaped += '\\';
      escaped += ch;
    }
    std::fprintf(out, "%s%s\n", escaped.c_str(), i + 1 < lines.size() ? "\\" : "");
  }
}

}  // namespace

void print_nginx_sed(const Config& c, std::FILE* out) {
  i18n::load(c.locale_dir, c.languages);
  const struct {
    const char* name;
    RateLimit rate;
  } limits[] = {{"UPLOAD", c.upload_rate}, {"LOGIN", c.login_rate}, {"SIGNUP", c.signup_rate}, {"ALBUM", c.album_rate}};
  for (const auto& l : limits) {
    std::fprintf(out, "s|@%s_RATE@|%u|g\n", l.name, l.rate.per_minute);
    std::fprintf(out, "s|@%s_BURST@|%u|g\n", l.name, l.rate.burst);
    std::fprintf(out, "s|@%s_RETRY@|%u|g\n", l.name, retry_after(l.rate));
  }
  std::fprintf(out, "s|@METRICS_LISTEN@|%s|g\n", c.metrics_listen.c_str());
  print_replacement(out, "@LANGUAGE_MAPS@", language_maps(c));
}

}  // namespace imghost::admin
