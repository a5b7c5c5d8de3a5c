// The site's words in the asking person's language.  Every text a person reads (pages,
// buttons, labels, error messages, log lines meant for people) goes through these, with
// the English text as the key, so that the catalogs can be extracted from the sources
// (xgettext --keyword=tr --keyword=trf:1 --keyword=trn:1,2 --keyword=trnf:1,2).
//
// For now every call answers the English text: the catalogs and the request's language
// come with the languages work (Russian and English).  Placeholders are fmt's `{}`; a
// translation keeps them, and the values are put in after translating.
#pragma once

#include <fmt/format.h>

#include <string>
#include <string_view>
#include <utility>

namespace imghost::i18n {

// `english` in the current request's language.
inline std::string tr(std::string_view english) { return std::string(english); }

// The plural form for `n` (English: singular when n == 1).
inline std::string trn(std::string_view singular, std::string_view plural, long n) {
  return std::string(n == 1 ? singular : plural);
}

// tr, then fmt::format with the values.
template <typename... Args>
std::string trf(std::string_view english, Args&&... args) {
  return fmt::format(fmt::runtime(tr(english)), std::forward<Args>(args)...);
}

// trn, then fmt::format with the values (n is usually one of them).
template <typename... Args>
std::string trnf(std::string_view singular, std::string_view plural, long n, Args&&... args) {
  return fmt::format(fmt::runtime(trn(singular, plural, n)), std::forward<Args>(args)...);
}

}  // namespace imghost::i18n
