// Which of the site's languages a request is answered in.  Pure, thread-safe.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace imghost::http {

// The cookie that remembers a choice made with the switcher, and the query parameter
// the switcher's links carry (`?lang=ru`: works without JavaScript, on every page).
inline constexpr std::string_view kLanguageCookie = "lang";
inline constexpr std::string_view kLanguageParam = "lang";

// The language of `accept_language` (RFC 9110, 12.5.4) that `languages` holds with the
// highest q-value ("ru-RU,ru;q=0.9,en;q=0.8" → "ru"); a tag matches by its primary
// subtag as well ("ru-RU" → "ru", "pt-BR" → "pt_BR" or "pt"); equal q-values keep the
// header's order; q=0 means "not this one".  nullopt when none matches.
std::optional<std::string> preferred_language(std::string_view accept_language,
                                              const std::vector<std::string>& languages);

// The request's language: `asked` (the switcher's query parameter) when it names one of
// `languages`, else the cookie's, else Accept-Language's, else `fallback`.
std::string choose_language(std::string_view asked, std::string_view cookie, std::string_view accept_language,
                            const std::vector<std::string>& languages, const std::string& fallback);

}  // namespace imghost::http
