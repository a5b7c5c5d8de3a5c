// multipart/form-data framing (RFC 2046 §5.1, RFC 7578) in one forward pass.
//
// Choices this parser makes where the RFCs leave room or real clients disagree:
//
// * Delimiters are only recognized at a line start: CRLF "--" boundary, or
//   "--" boundary as the very first bytes of the body.  What follows decides:
//     "--"                   close delimiter; the epilogue after it is ignored,
//     [ \t]* CRLF            delimiter; the next part's headers follow,
//     [ \t]* LF or lone CR   ParseError: bare-LF bodies are rejected outright,
//                            which gives the client a clearer reason than
//                            "missing closing boundary" would,
//     end of input           ParseError (truncated body),
//     anything else          not a delimiter: the line is data.  RFC 2046 forbids
//                            senders from starting a line with the boundary, but
//                            the grammar only matches a whole delimiter line, and
//                            treating near-misses as data cannot split a part in
//                            two.
// * Header lines must end in CRLF; a bare CR or LF inside the header block is an
//   error, and so are folded (obs-fold) lines, which no browser sends.
// * A part that ends right after its header block ("...\r\n\r\n--bound") has an
//   empty body, the same as the canonical "...\r\n\r\n\r\n--bound".
// * A body whose first delimiter is the close delimiter has zero parts; whether
//   that is acceptable is the caller's call.
// * Quoted-string: a backslash escapes only '"' and '\'.  Any other backslash is
//   literal, because MSIE sends unescaped Windows paths (filename="C:\dir\a.jpg");
//   no real generator escapes a letter.  Browsers percent-encode '"', CR and LF in
//   names (WHATWG HTML), and those escapes are kept as sent.
// * filename* (RFC 8187) is used only when its charset is UTF-8 and its
//   percent-encoding is well formed; otherwise it is ignored and filename, if
//   any, applies.  Filenames are bytes: neither UTF-8 validity nor paths are
//   checked here.
// * Duplicate Content-Disposition, Content-Type, name, filename or filename* in
//   one part is an error rather than a silent first-or-last-wins, so that no two
//   readers of the same body can disagree about it.
#include "http/multipart.hpp"

#include "base/hex.hpp"
#include "base/text.hpp"

#include <algorithm>
#include <utility>

namespace imghost::multipart {
namespace {

constexpr std::string_view kCrlf = "\r\n";
constexpr std::size_t kMaxBoundaryLength = 70;  // RFC 2046 §5.1.1

bool is_ows(char c) { return c == ' ' || c == '\t'; }

bool is_tchar(char c) {
  if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) { return true; }
  return std::string_view("!#$%&'*+-.^_`|~").find(c) != std::string_view::npos;
}

using text::ascii_iequals;

std::string_view trim_ows(std::string_view s) {
  while (!s.empty() && is_ows(s.front())) s.remove_prefix(1);
  while (!s.empty() && is_ows(s.back())) s.remove_suffix(1);
  return s;
}

// A cursor over one header value, for the `type *( ";" param )` grammar that
// Content-Type and Content-Disposition share (RFC 7231 §3.1.1.1, RFC 6266 §4.1).
class Scanner {
 public:
  explicit Scanner(std::string_view s) : s_(s) {}

  bool at_end() const { return i_ == s_.size(); }

  void skip_ows() {
    while (i_ < s_.size() && is_ows(s_[i_])) ++i_;
  }

  bool peek(char c) const { return i_ < s_.size() && s_[i_] == c; }

  bool consume(char c) {
    if (i_ < s_.size() && s_[i_] == c) {
      ++i_;
      return true;
    }
    return false;
  }

  // Empty when no token starts here.
  std::string_view token() {
    const std::size_t start = i_;
    while (i_ < s_.size() && is_tchar(s_[i_])) ++i_;
    return s_.substr(start, i_ - start);
  }

  // token / quoted-string; nullopt when neither is well formed.
  std::optional<std::string> value() {
    if (!consume('"')) {
      std::string_view t = token();
      if (t.empty()) return std::nullopt;
      return std::string(t);
    }
    std::string out;
    while (i_ < s_.size()) {
      const char c = s_[i_++];
      if (c == '"') return out;
      if (c == '\\' && i_ < s_.size() && (s_[i_] == '"' || s_[i_] == '\\')) {
        out += s_[i_++];
      } else {
        out += c;
      }
    }
    return std::nullopt;  // unterminated
  }

 private:
  std::string_view s_;
  std::size_t i_ = 0;
};

struct Param {
  std::string_view name;
  std::string value;
};

enum class ParamStatus { kParam, kEnd, kMalformed };

// Reads the next `OWS ";" OWS name OWS "=" OWS value`.  Empty parameters
// (";;", a trailing ";") are skipped: several clients emit them.
ParamStatus next_param(Scanner& s, Param& out) {
  for (;;) {
    s.skip_ows();
    if (s.at_end()) return ParamStatus::kEnd;
    if (!s.consume(';')) return ParamStatus::kMalformed;
    s.skip_ows();
    if (s.at_end()) return ParamStatus::kEnd;
    out.name = s.token();
    if (!out.name.empty()) break;
    if (!s.peek(';')) return ParamStatus::kMalformed;
  }
  s.skip_ows();
  if (!s.consume('=')) return ParamStatus::kMalformed;
  s.skip_ows();
  std::optional<std::string> v = s.value();
  if (!v) return ParamStatus::kMalformed;
  out.value = std::move(*v);
  return ParamStatus::kParam;
}

// RFC 8187 ext-value: charset "'" [ language ] "'" pct-encoded chars.
std::optional<std::string> decode_ext_value(std::string_view v) {
  const std::size_t q1 = v.find('\'');
  if (q1 == std::string_view::npos) return std::nullopt;
  const std::size_t q2 = v.find('\'', q1 + 1);
  if (q2 == std::string_view::npos) return std::nullopt;
  if (!ascii_iequals(v.substr(0, q1), "utf-8")) return std::nullopt;
  std::string out;
  out.reserve(v.size() - q2 - 1);
  for (std::size_t i = q2 + 1; i < v.size(); ++i) {
    if (v[i] != '%') {
      out += v[i];
      continue;
    }
    if (i + 2 >= v.size()) return std::nullopt;
    const int hi = hex::digit(v[i + 1]);
    const int lo = hex::digit(v[i + 2]);
    if (hi < 0 || lo < 0) return std::nullopt;
    out += static_cast<char>(hi * 16 + lo);
    i += 2;
  }
  return out;
}

void set_once(std::optional<std::string>& slot, std::string value) {
  if (slot) throw ParseError("duplicate Content-Disposition parameter");
  slot = std::move(value);
}

void parse_disposition(std::string_view value, Part& part) {
  Scanner s(value);
  s.skip_ows();
  if (!ascii_iequals(s.token(), "form-data")) throw ParseError("part is not form-data");
  std::optional<std::string> name, filename, filename_ext;
  Param p;
  for (;;) {
    const ParamStatus status = next_param(s, p);
    if (status == ParamStatus::kEnd) break;
    if (status == ParamStatus::kMalformed) throw ParseError("malformed Content-Disposition");
    if (ascii_iequals(p.name, "name")) {
      set_once(name, std::move(p.value));
    } else if (ascii_iequals(p.name, "filename")) {
      set_once(filename, std::move(p.value));
    } else if (ascii_iequals(p.name, "filename*")) {
      set_once(filename_ext, std::move(p.value));
    }
  }
  if (name) part.name = std::move(*name);
  std::optional<std::string> decoded;
  if (filename_ext) decoded = decode_ext_value(*filename_ext);
  part.filename = decoded ? std::move(decoded) : std::move(filename);
}

// Reads the header block that starts at `begin` into `part`.  Returns the offset
// of the CRLF of the empty line that ends the block.
std::size_t parse_headers(std::string_view body, std::size_t begin, const Limits& limits, Part& part) {
  // Scanning only a window of max_header_bytes bounds the work an endless
  // header line can cost, and makes the limit exact: the block, its empty line
  // included, must fit in the window.
  const std::string_view window = body.substr(begin, limits.max_header_bytes);
  bool have_disposition = false;
  bool have_type = false;
  std::size_t cursor = 0;
  for (;;) {
    const std::size_t lf = window.find('\n', cursor);
    if (lf == std::string_view::npos) {
      if (begin + window.size() < body.size()) throw ParseError("part header too long");
      throw ParseError("missing closing boundary");
    }
    if (lf == cursor || window[lf - 1] != '\r') { throw ParseError("part header line not ended by CRLF"); }
    const std::string_view line = window.substr(cursor, lf - 1 - cursor);
    if (line.empty()) {
      if (!have_disposition) throw ParseError("part without Content-Disposition");
      if (part.name.empty()) throw ParseError("part without name");
      return begin + cursor;
    }
    cursor = lf + 1;
    if (line.find('\r') != std::string_view::npos) { throw ParseError("part header line not ended by CRLF"); }
    if (is_ows(line.front())) throw ParseError("folded part header line");
    const std::size_t colon = line.find(':');
    if (colon == std::string_view::npos) throw ParseError("part header line without colon");
    const std::string_view name = line.substr(0, colon);
    if (name.empty() || !std::all_of(name.begin(), name.end(), is_tchar)) { throw ParseError("bad part header name"); }
    const std::string_view value = trim_ows(line.substr(colon + 1));
    if (ascii_iequals(name, "Content-Disposition")) {
      if (std::exchange(have_disposition, true)) { throw ParseError("duplicate Content-Disposition"); }
      parse_disposition(value, part);
    } else if (ascii_iequals(name, "Content-Type")) {
      if (std::exchange(have_type, true)) throw ParseError("duplicate Content-Type");
      part.content_type = std::string(value);
    }
    // Other headers (Content-Transfer-Encoding is deprecated by RFC 7578 §4.7)
    // carry nothing this server acts on.
  }
}

struct Delimiter {
  std::size_t start;  // first byte of the delimiter: its CR, or 0 at body start
  std::size_t next;   // first byte after the delimiter line
  bool close;
};

// Finds delimiter lines; see the file comment for what counts as one.
class DelimiterFinder {
 public:
  DelimiterFinder(std::string_view body, std::string_view boundary)
      : body_(body), pattern_(std::string("\r\n--").append(boundary)) {}

  // The first delimiter starting at or after `from`.  The body may open with
  // the delimiter minus its CRLF; only the first search looks for that.
  std::optional<Delimiter> find(std::size_t from, bool allow_at_body_start) const {
    const std::string_view pattern = pattern_;
    const std::string_view dash_boundary = pattern.substr(kCrlf.size());
    if (allow_at_body_start && body_.starts_with(dash_boundary)) {
      if (auto d = classify(0, dash_boundary.size())) return d;
    }
    for (std::size_t pos = body_.find(pattern, from); pos != std::string_view::npos;
         pos = body_.find(pattern, pos + 1)) {
      if (auto d = classify(pos, pos + pattern.size())) return d;
    }
    return std::nullopt;
  }

 private:
  // `after` is the offset just past the boundary string.
  std::optional<Delimiter> classify(std::size_t start, std::size_t after) const {
    if (body_.substr(after, 2) == "--") return Delimiter{start, after + 2, true};
    std::size_t q = after;
    while (q < body_.size() && is_ows(body_[q])) ++q;
    if (q == body_.size()) throw ParseError("missing closing boundary");
    if (body_[q] == '\r') {
      if (q + 1 == body_.size()) throw ParseError("missing closing boundary");
      if (body_[q + 1] == '\n') return Delimiter{start, q + 2, false};
      throw ParseError("boundary line not ended by CRLF");
    }
    if (body_[q] == '\n') throw ParseError("boundary line not ended by CRLF");
    return std::nullopt;
  }

  std::string_view body_;
  std::string pattern_;  // CRLF "--" boundary
};

}  // namespace

std::optional<std::string> boundary_from_content_type(std::string_view content_type) {
  Scanner s(content_type);
  s.skip_ows();
  if (!ascii_iequals(s.token(), "multipart") || !s.consume('/') || !ascii_iequals(s.token(), "form-data")) {
    return std::nullopt;
  }
  std::optional<std::string> boundary;
  Param p;
  for (;;) {
    const ParamStatus status = next_param(s, p);
    if (status == ParamStatus::kEnd) break;
    if (status == ParamStatus::kMalformed) return std::nullopt;
    if (!ascii_iequals(p.name, "boundary")) continue;
    if (boundary) return std::nullopt;  // two boundaries: no way to pick
    boundary = std::move(p.value);
  }
  if (!boundary || boundary->empty() || boundary->size() > kMaxBoundaryLength) { return std::nullopt; }
  // RFC 2046 bchars are narrower, but any printable ASCII works for the
  // framing; only controls (which cannot be matched sanely) and a trailing
  // space (indistinguishable from transport padding) are refused.
  const bool printable = std::all_of(boundary->begin(), boundary->end(), [](char c) { return c >= 0x20 && c <= 0x7e; });
  if (!printable || boundary->back() == ' ') return std::nullopt;
  return boundary;
}

std::vector<Part> parse(std::string_view body, std::string_view boundary, const Limits& limits) {
  if (boundary.empty()) throw ParseError("empty boundary");
  const DelimiterFinder finder(body, boundary);
  std::optional<Delimiter> delimiter = finder.find(0, true);
  if (!delimiter) throw ParseError("no first boundary");
  std::vector<Part> parts;
  while (!delimiter->close) {
    if (parts.size() >= limits.max_parts) throw ParseError("too many parts");
    Part part;
    const std::size_t blank = parse_headers(body, delimiter->next, limits, part);
    // Searching from the empty line's CRLF, not past it, lets that CRLF double
    // as the next delimiter's: a part with no body at all.
    delimiter = finder.find(blank, false);
    if (!delimiter) throw ParseError("missing closing boundary");
    const std::size_t content = std::min(blank + kCrlf.size(), delimiter->start);
    part.body = body.substr(content, delimiter->start - content);
    parts.push_back(std::move(part));
  }
  return parts;
}

}  // namespace imghost::multipart
