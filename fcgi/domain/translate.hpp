// The site's words in the asking person's language.  Every text a person reads (pages,
// buttons, labels, error messages, log lines meant for people) goes through these, with
// the English text as the key, so that the catalogs can be extracted from the sources
// (xgettext --keyword=tr --keyword=trf --keyword=trn:1,2 --keyword=trnf:1,2
// --keyword=msg --keyword=msgn:1,2; scripts/i18n does it).
//
// The catalogs are gettext .po files (po/<language>.po), compiled by `make` into
// <locale_dir>/<language>/LC_MESSAGES/imghost.mo and read by Boost.Locale, which also
// knows each language's plural rule from its catalog's Plural-Forms header.  English is
// the sources' own language and has no catalog.
//
// Placeholders are fmt's plain `{}`; a translation keeps them (in any order it needs),
// and the values are put in after translating.
//
// Thread safety: load() runs once at start-up, before any other call (and before the
// pool forks).  The language is per thread: a worker sets it for each request with a
// Scope, and everything said in that thread until the Scope ends is in that language.
#pragma once

#include <fmt/format.h>

#include <filesystem>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

namespace imghost::i18n {

// Reads the catalog of every language of `languages` but English from `dir`.  Throws
// std::runtime_error naming the file when one is missing: a language that is
// configured but silently English would be worse.
void load(const std::filesystem::path& dir, const std::vector<std::string>& languages);

// Whether load() read a catalog for `language` (English always counts).
bool available(std::string_view language);

// The calling thread's language ("en" unless a Scope says otherwise).
std::string_view language();

// Makes `language` the calling thread's language until the Scope ends, then restores
// the one before.  A language without a catalog means English.
class Scope {
 public:
  explicit Scope(std::string_view language);
  ~Scope();
  Scope(const Scope&) = delete;
  Scope& operator=(const Scope&) = delete;

 private:
  std::string before_;
};

// `english` in `language`, and its plural form for `n` (the language's own rule).
std::string translate_in(std::string_view language, std::string_view english);
std::string translate_plural_in(std::string_view language, std::string_view singular, std::string_view plural, long n);

// `english` in the current language.
inline std::string tr(std::string_view english) { return translate_in(language(), english); }

// The plural form for `n` (English: singular when n == 1; Russian: 1 файл, 2 файла,
// 5 файлов).
inline std::string trn(std::string_view singular, std::string_view plural, long n) {
  return translate_plural_in(language(), singular, plural, n);
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

// A message kept in English with its values, said in a language only when asked: an
// error's message goes to the person in the request's language and to the log in the
// log's (log_language).  Built with msg()/msgn() (extracted like tr/trn); a plain string
// converts to a Message that every language says as it is (a text not yet translated).
// A value may itself be a Message ("{} is not a PNG image" with the file's reason).
class Message {
 public:
  Message(const char* plain) : english_(plain) {}                    // NOLINT: implicit on purpose
  Message(std::string plain) : english_(std::move(plain)) {}         // NOLINT
  Message(std::string_view plain) : english_(std::string(plain)) {}  // NOLINT

  // The text in `language`.
  std::string in(std::string_view language) const;
  // The text in the current language.
  std::string str() const { return in(language()); }

  template <typename... Args>
  friend Message msg(std::string_view english, Args&&... args);
  template <typename... Args>
  friend Message msgn(std::string_view singular, std::string_view plural, long n, Args&&... args);

 private:
  Message() = default;
  std::string english_;  // the msgid, or the whole text when not translatable
  std::string plural_;
  long n_ = 0;
  bool translatable_ = false;
  bool has_plural_ = false;
  std::vector<Message> values_;  // the values: plain ones formatted with {}, or messages
};

namespace detail {
template <typename T>
Message value_of(T&& v) {
  if constexpr (std::is_same_v<std::decay_t<T>, Message>)
    return std::forward<T>(v);
  else
    return Message(fmt::format("{}", std::forward<T>(v)));
}
}  // namespace detail

template <typename... Args>
Message msg(std::string_view english, Args&&... args) {
  Message m;
  m.english_ = std::string(english);
  m.translatable_ = true;
  (m.values_.push_back(detail::value_of(std::forward<Args>(args))), ...);
  return m;
}

template <typename... Args>
Message msgn(std::string_view singular, std::string_view plural, long n, Args&&... args) {
  Message m = msg(singular, std::forward<Args>(args)...);
  m.plural_ = std::string(plural);
  m.n_ = n;
  m.has_plural_ = true;
  return m;
}

}  // namespace imghost::i18n
