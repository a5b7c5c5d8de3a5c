#include "domain/translate.hpp"

#include <fmt/args.h>

#include <boost/locale/generator.hpp>
#include <boost/locale/message.hpp>

#include <climits>
#include <locale>
#include <map>
#include <stdexcept>

namespace imghost::i18n {
namespace {

constexpr const char* kDomain = "imghost";

// The locale of each loaded language, filled once by load() and only read afterwards.
std::map<std::string, std::locale, std::less<>>& catalogs() {
  static std::map<std::string, std::locale, std::less<>> m;
  return m;
}

thread_local std::string t_language = "en";

const std::locale* catalog_of(std::string_view language) {
  const auto& m = catalogs();
  const auto it = m.find(language);
  return it == m.end() ? nullptr : &it->second;
}

// gettext's plural rules take an int; the rules of every language look only at the
// last digits, which this keeps.
int plural_count(long n) {
  if (n < 0) n = -n;
  return n > INT_MAX ? static_cast<int>(n % 1000000 + 1000000) : static_cast<int>(n);
}

}  // namespace

void load(const std::filesystem::path& dir, const std::vector<std::string>& languages) {
  boost::locale::generator gen;
  // Only the messages: numbers and dates are written by fmt and render/units.
  gen.categories(boost::locale::message_facet | boost::locale::information_facet);
  gen.add_messages_path(dir.string());
  gen.add_messages_domain(kDomain);
  for (const auto& lang : languages) {
    if (lang == "en" || catalog_of(lang)) continue;
    const auto file = dir / lang / "LC_MESSAGES" / (std::string(kDomain) + ".mo");
    if (!std::filesystem::exists(file))
      throw std::runtime_error("no catalog for language " + lang + ": " + file.string() + " is missing");
    catalogs().emplace(lang, gen(lang + ".UTF-8"));
  }
}

bool available(std::string_view language) { return language == "en" || catalog_of(language) != nullptr; }

std::string_view language() { return t_language; }

Scope::Scope(std::string_view language) : before_(t_language) {
  t_language = available(language) ? std::string(language) : std::string("en");
}

Scope::~Scope() { t_language = before_; }

std::string translate_in(std::string_view language, std::string_view english) {
  const auto* loc = catalog_of(language);
  const std::string id(english);
  if (!loc) return id;
  return boost::locale::translate(id).str(*loc);
}

std::string translate_plural_in(std::string_view language, std::string_view singular, std::string_view plural, long n) {
  const auto* loc = catalog_of(language);
  const std::string one(singular), many(plural);
  if (!loc) return n == 1 ? one : many;
  return boost::locale::translate(one, many, plural_count(n)).str(*loc);
}

std::string Message::in(std::string_view language) const {
  if (!translatable_) return english_;
  const auto pattern =
      has_plural_ ? translate_plural_in(language, english_, plural_, n_) : translate_in(language, english_);
  fmt::dynamic_format_arg_store<fmt::format_context> store;
  for (const auto& v : values_) store.push_back(v.in(language));
  try {
    return fmt::vformat(pattern, store);
  } catch (const fmt::format_error&) {
    // A translation with a broken placeholder must not turn an error into another.
    return english_;
  }
}

}  // namespace imghost::i18n
