#include "http/language.hpp"

#include <algorithm>

#include "base/text.hpp"

namespace imghost::http {
namespace {

char lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

// "pt-BR" and "pt_br" alike: lower case, '-' as '_'.
std::string normalized(std::string_view tag) {
  std::string out;
  for (const char c : tag) out.push_back(c == '-' ? '_' : lower(c));
  return out;
}

// The configured language `tag` names, exactly or by its primary subtag.
std::optional<std::string> match(std::string_view tag, const std::vector<std::string>& languages) {
  const auto want = normalized(tag);
  if (want.empty()) return std::nullopt;
  for (const auto& l : languages)
    if (normalized(l) == want) return l;
  const auto primary = want.substr(0, want.find('_'));
  for (const auto& l : languages)
    if (normalized(l) == primary) return l;
  return std::nullopt;
}

// The q-value of one item's parameters (";q=0.8"), 1000 for 1.0; -1 when malformed.
int q_of(std::string_view params) {
  int q = 1000;
  while (!params.empty()) {
    const auto semi = params.find(';');
    const auto p = text::trim(params.substr(0, semi));
    params = semi == std::string_view::npos ? std::string_view{} : params.substr(semi + 1);
    if (p.size() < 2 || lower(p[0]) != 'q') continue;
    const auto rest = text::trim(p.substr(1));
    if (rest.empty() || rest[0] != '=') continue;
    const auto v = text::trim(rest.substr(1));
    // qvalue = ( "0" [ "." 0*3DIGIT ] ) / ( "1" [ "." 0*3("0") ] )
    if (v.empty() || (v[0] != '0' && v[0] != '1')) return -1;
    int thousandths = (v[0] - '0') * 1000;
    if (v.size() > 1) {
      if (v[1] != '.' || v.size() > 5) return -1;
      int scale = 100;
      for (std::size_t i = 2; i < v.size(); ++i, scale /= 10) {
        if (v[i] < '0' || v[i] > '9') return -1;
        thousandths += (v[i] - '0') * scale;
      }
    }
    q = thousandths > 1000 ? -1 : thousandths;
  }
  return q;
}

}  // namespace

std::optional<std::string> preferred_language(std::string_view header, const std::vector<std::string>& languages) {
  std::optional<std::string> best;
  int best_q = 0;
  while (!header.empty()) {
    const auto comma = header.find(',');
    const auto item = text::trim(header.substr(0, comma));
    header = comma == std::string_view::npos ? std::string_view{} : header.substr(comma + 1);
    const auto semi = item.find(';');
    const auto tag = text::trim(item.substr(0, semi));
    const int q = semi == std::string_view::npos ? 1000 : q_of(item.substr(semi + 1));
    if (q <= best_q || tag == "*") continue;  // strictly higher: the header's order breaks ties
    if (auto l = match(tag, languages)) {
      best = std::move(l);
      best_q = q;
    }
  }
  return best;
}

std::string choose_language(std::string_view asked, std::string_view cookie, std::string_view accept_language,
                            const std::vector<std::string>& languages, const std::string& fallback) {
  const auto exactly = [&](std::string_view l) {
    return std::find(languages.begin(), languages.end(), l) != languages.end();
  };
  if (exactly(asked)) return std::string(asked);
  if (exactly(cookie)) return std::string(cookie);
  if (auto l = preferred_language(accept_language, languages)) return *l;
  return fallback;
}

}  // namespace imghost::http
