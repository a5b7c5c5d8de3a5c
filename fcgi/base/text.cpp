#include "base/text.hpp"

#include <cctype>
#include <charconv>
#include <limits>

#include "base/hex.hpp"

namespace imghost::text {

std::size_t utf8_sequence(std::string_view s, std::size_t i, char32_t* cp) {
  const auto b0 = static_cast<unsigned char>(s[i]);
  if (b0 < 0x80) {
    if (cp) *cp = b0;
    return 1;
  }
  // The lead byte gives the length and, for the first continuation byte, the range
  // that excludes overlong forms (E0, F0), surrogates (ED) and code points past
  // U+10FFFF (F4).
  std::size_t n;
  unsigned char lo = 0x80, hi = 0xBF;
  // A table, one lead-byte range a line.
  // clang-format off
  if (b0 >= 0xC2 && b0 <= 0xDF) n = 2;
  else if (b0 == 0xE0) { n = 3; lo = 0xA0; }
  else if (b0 == 0xED) { n = 3; hi = 0x9F; }
  else if (b0 >= 0xE1 && b0 <= 0xEF) n = 3;
  else if (b0 == 0xF0) { n = 4; lo = 0x90; }
  else if (b0 == 0xF4) { n = 4; hi = 0x8F; }
  else if (b0 >= 0xF1 && b0 <= 0xF3) n = 4;
  else return 0;
  // clang-format on
  if (s.size() - i < n) return 0;
  const auto b1 = static_cast<unsigned char>(s[i + 1]);
  if (b1 < lo || b1 > hi) return 0;
  char32_t c = b0 & (0xFF >> (n + 1));
  for (std::size_t k = 1; k < n; ++k) {
    const auto b = static_cast<unsigned char>(s[i + k]);
    if ((b & 0xC0) != 0x80) return 0;
    c = c << 6 | (b & 0x3F);
  }
  if (cp) *cp = c;
  return n;
}

bool is_control(char32_t cp) { return cp < 0x20 || (cp >= 0x7F && cp <= 0x9F); }

bool breaks_display(char32_t cp) {
  return is_control(cp) || cp == 0x2028 || cp == 0x2029 || cp == 0x061C || cp == 0x200E || cp == 0x200F ||
         (cp >= 0x202A && cp <= 0x202E) || (cp >= 0x2066 && cp <= 0x2069);
}

std::optional<char32_t> first_forbidden_control(std::string_view s) {
  for (std::size_t i = 0; i < s.size();) {
    char32_t cp = 0;
    const auto n = utf8_sequence(s, i, &cp);
    if (n == 0) return std::nullopt;  // not this function's question
    if (is_control(cp) && cp != '\t' && cp != '\r' && cp != '\n') return cp;
    i += n;
  }
  return std::nullopt;
}

bool is_valid_utf8(std::string_view s) {
  for (std::size_t i = 0; i < s.size();) {
    const auto n = utf8_sequence(s, i);
    if (n == 0) return false;
    i += n;
  }
  return true;
}

std::size_t utf8_length(std::string_view s) {
  std::size_t count = 0;
  for (const char c : s)
    if ((static_cast<unsigned char>(c) & 0xC0) != 0x80) ++count;
  return count;
}

std::string clean_filename(std::string_view raw) {
  const auto slash = raw.find_last_of("/\\");
  if (slash != std::string_view::npos) raw.remove_prefix(slash + 1);
  std::string out;
  for (std::size_t i = 0; i < raw.size();) {
    char32_t cp = 0;
    const auto n = utf8_sequence(raw, i, &cp);
    std::string_view piece;
    if (n == 0) {
      piece = "\xEF\xBF\xBD";  // U+FFFD
      i += 1;
    } else {
      piece = breaks_display(cp) ? std::string_view("_") : raw.substr(i, n);
      i += n;
    }
    if (out.size() + piece.size() > 255) break;
    out.append(piece);
  }
  return out;
}

std::string_view trim(std::string_view s) {
  const auto b = s.find_first_not_of(" \t\r");
  if (b == std::string_view::npos) return {};
  return s.substr(b, s.find_last_not_of(" \t\r") - b + 1);
}

std::vector<KeyValue> key_values(std::string_view file_text) {
  std::vector<KeyValue> out;
  int line = 0;
  while (!file_text.empty()) {
    const auto nl = file_text.find('\n');
    std::string_view text = file_text.substr(0, nl);
    file_text.remove_prefix(nl == std::string_view::npos ? file_text.size() : nl + 1);
    ++line;
    text = text.substr(0, text.find('#'));
    if (trim(text).empty()) continue;
    const auto eq = text.find('=');
    KeyValue kv;
    kv.line = line;
    kv.key = std::string(trim(text.substr(0, eq)));
    if (eq != std::string_view::npos) kv.value = std::string(trim(text.substr(eq + 1)));
    out.push_back(std::move(kv));
  }
  return out;
}

std::optional<std::uint64_t> parse_size(std::string_view v) {
  std::uint64_t n = 0;
  const char* end = v.data() + v.size();
  auto [p, ec] = std::from_chars(v.data(), end, n);
  if (ec != std::errc() || p == v.data()) return std::nullopt;
  unsigned shift = 0;
  if (p != end) {
    switch (*p++) {
      case 'k':
      case 'K': shift = 10; break;
      case 'm':
      case 'M': shift = 20; break;
      case 'g':
      case 'G': shift = 30; break;
      case 't':
      case 'T': shift = 40; break;
      default: return std::nullopt;
    }
    const std::string_view rest(p, static_cast<std::size_t>(end - p));
    if (!rest.empty() && rest != "B" && rest != "iB") return std::nullopt;
  }
  if (n > (static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max()) >> shift)) return std::nullopt;
  return n << shift;
}

bool ascii_iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    const auto x = static_cast<unsigned char>(a[i]), y = static_cast<unsigned char>(b[i]);
    if (std::tolower(x) != std::tolower(y)) return false;
  }
  return true;
}

std::string url_encode(std::string_view in) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(in.size() * 3);
  for (const char ch : in) {
    const auto c = static_cast<unsigned char>(ch);
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '.' ||
        c == '_' || c == '~') {
      out.push_back(ch);
    } else {
      out.push_back('%');
      out.push_back(kHex[c >> 4]);
      out.push_back(kHex[c & 15]);
    }
  }
  return out;
}

bool url_decode(std::string_view in, std::string& out) {
  out.clear();
  for (std::size_t i = 0; i < in.size(); ++i) {
    if (in[i] == '+') {
      out.push_back(' ');
    } else if (in[i] == '%') {
      if (i + 2 >= in.size()) return false;
      const int h = hex::digit(in[i + 1]), l = hex::digit(in[i + 2]);
      if (h < 0 || l < 0) return false;
      out.push_back(static_cast<char>(h * 16 + l));
      i += 2;
    } else {
      out.push_back(in[i]);
    }
  }
  return true;
}

bool query_param(std::string_view query, std::string_view key, std::string& out) {
  while (!query.empty()) {
    const auto amp = query.find('&');
    const auto pair = query.substr(0, amp);
    query = amp == std::string_view::npos ? std::string_view{} : query.substr(amp + 1);
    const auto eq = pair.find('=');
    if (pair.substr(0, eq) != key) continue;
    return url_decode(eq == std::string_view::npos ? std::string_view{} : pair.substr(eq + 1), out);
  }
  return false;
}

}  // namespace imghost::text
