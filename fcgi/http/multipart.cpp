// multipart/form-data framing (RFC 2046 §5.1, RFC 7578) in one forward pass over bytes
// pushed in pieces of any size.
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
// * Transport padding after a boundary is limited to kMaxBoundaryPadding spaces and
//   tabs: a streaming parser must hold a possible delimiter line until it is decided.
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

Parser::Parser(std::string_view boundary, PartSink& sink, const Limits& limits)
    : sink_(sink), limits_(limits), pattern_(std::string(kCrlf).append("--").append(boundary)) {
  if (boundary.empty()) throw ParseError("empty boundary");
  // The body may open with the delimiter minus its CRLF: scanning as if a CRLF came
  // first finds it with the same rules as every other delimiter.
  pending_ = kCrlf;
  virtual_ = kCrlf.size();
}

// The first delimiter line in `buf`, or the first place where one may start but `buf`
// ends too early to tell (need_more; at_end: the body ends there).  What follows the
// boundary decides (see the file comment); may throw ParseError.
Parser::Scan Parser::scan(std::string_view buf, bool at_end) const {
  using Kind = Scan::Kind;
  const std::size_t n = buf.size();
  for (std::size_t pos = buf.find(pattern_); pos != std::string_view::npos; pos = buf.find(pattern_, pos + 1)) {
    const std::size_t after = pos + pattern_.size();
    if (after + 2 <= n && buf[after] == '-' && buf[after + 1] == '-') return {Kind::delimiter, pos, after + 2, true};
    if (after == n || (after + 1 == n && buf[after] == '-')) {
      if (!at_end) return {Kind::need_more, pos};
      if (after == n) throw ParseError("missing closing boundary");
      continue;  // a single '-' at the very end: not a delimiter
    }
    std::size_t q = after;
    while (q < n && is_ows(buf[q])) ++q;
    if (q - after > kMaxBoundaryPadding) throw ParseError("boundary line too long");
    if (q == n || (buf[q] == '\r' && q + 1 == n)) {
      if (!at_end) return {Kind::need_more, pos};
      throw ParseError("missing closing boundary");
    }
    if (buf[q] == '\r') {
      if (buf[q + 1] == '\n') return {Kind::delimiter, pos, q + 2, false};
      throw ParseError("boundary line not ended by CRLF");
    }
    if (buf[q] == '\n') throw ParseError("boundary line not ended by CRLF");
    // anything else: the line is data
  }
  if (!at_end) {
    // A proper prefix of the delimiter at the very end.  It starts with CR.
    const std::size_t first = n >= pattern_.size() ? n - pattern_.size() + 1 : 0;
    for (std::size_t p = buf.find('\r', first); p != std::string_view::npos; p = buf.find('\r', p + 1))
      if (std::string_view(pattern_).starts_with(buf.substr(p))) return {Kind::need_more, p};
  }
  return {};
}

void Parser::data(std::string_view bytes) {
  if (state_ == State::body && !bytes.empty()) sink_.part_data(bytes);
}

void Parser::delimiter(bool close) {
  if (state_ == State::body) sink_.part_end();
  if (close) {
    state_ = State::epilogue;
    return;
  }
  if (parts_ >= limits_.max_parts) throw ParseError("too many parts");
  ++parts_;
  part_ = Part{};
  header_block_.clear();
  header_cursor_ = 0;
  have_disposition_ = have_type_ = false;
  state_ = State::headers;
}

void Parser::header_line(std::string_view line) {
  if (line.find('\r') != std::string_view::npos) throw ParseError("part header line not ended by CRLF");
  if (is_ows(line.front())) throw ParseError("folded part header line");
  const std::size_t colon = line.find(':');
  if (colon == std::string_view::npos) throw ParseError("part header line without colon");
  const std::string_view name = line.substr(0, colon);
  if (name.empty() || !std::all_of(name.begin(), name.end(), is_tchar)) throw ParseError("bad part header name");
  const std::string_view value = trim_ows(line.substr(colon + 1));
  if (ascii_iequals(name, "Content-Disposition")) {
    if (std::exchange(have_disposition_, true)) throw ParseError("duplicate Content-Disposition");
    parse_disposition(value, part_);
  } else if (ascii_iequals(name, "Content-Type")) {
    if (std::exchange(have_type_, true)) throw ParseError("duplicate Content-Type");
    part_.content_type = std::string(value);
  }
  // Other headers (Content-Transfer-Encoding is deprecated by RFC 7578 §4.7) carry
  // nothing this server acts on.
}

// Collects the header block, handling each line as its LF arrives.  The block, its empty
// line included, must fit in max_header_bytes: holding at most one byte more than that
// tells "too long" from "cut short" exactly.  Returns what follows the block.
std::string_view Parser::feed_headers(std::string_view bytes) {
  const std::size_t before = header_block_.size();
  const std::size_t room = limits_.max_header_bytes + 1 - before;
  header_block_.append(bytes.substr(0, room));
  for (;;) {
    const std::size_t lf = header_block_.find('\n', header_cursor_);
    if (lf == std::string::npos || lf >= limits_.max_header_bytes) break;
    if (lf == header_cursor_ || header_block_[lf - 1] != '\r') throw ParseError("part header line not ended by CRLF");
    const std::string_view line = std::string_view(header_block_).substr(header_cursor_, lf - 1 - header_cursor_);
    if (line.empty()) {
      if (!have_disposition_) throw ParseError("part without Content-Disposition");
      if (part_.name.empty()) throw ParseError("part without name");
      sink_.part_begin(part_);
      state_ = State::body;
      // The empty line's CRLF may double as the next delimiter's: a part with no body.
      pending_ = kCrlf;
      virtual_ = kCrlf.size();
      return bytes.substr(lf + 1 - before);
    }
    header_cursor_ = lf + 1;
    header_line(line);
  }
  if (header_block_.size() > limits_.max_header_bytes) throw ParseError("part header too long");
  return {};
}

// Preamble and part bodies: data up to the next delimiter.  Returns what follows it, or
// nothing when all of `bytes` was taken (as data, or held back in pending_).
std::string_view Parser::feed_framed(std::string_view bytes) {
  if (!pending_.empty()) {
    // The held-back candidate with enough new bytes to decide it (its line is at most
    // the delimiter and its padding), so the rest of `bytes` is scanned in place.
    const std::size_t old = pending_.size();
    const std::size_t take = std::min(bytes.size(), 2 * (pattern_.size() + kMaxBoundaryPadding + 4));
    pending_.append(bytes.substr(0, take));
    const Scan r = scan(pending_, false);
    // Data is what precedes the delimiter (or the candidate): the held bytes past the
    // virtual CRLF, then the new ones, handed on in place.
    const std::size_t end = r.kind == Scan::Kind::none ? old : std::min(r.pos, old);
    const std::string held = end > virtual_ ? pending_.substr(virtual_, end - virtual_) : std::string();
    if (r.kind == Scan::Kind::delimiter) {
      data(held);
      if (r.pos > old) data(bytes.substr(0, r.pos - old));
      if (r.next >= old) {
        pending_.clear();
        virtual_ = 0;
        delimiter(r.close);
        return bytes.substr(r.next - old);
      }
      // A boundary that overlaps itself can end a delimiter inside the held bytes: the
      // held bytes after it come first, then all of `bytes` again.
      const std::string rest = pending_.substr(r.next, old - r.next);
      pending_.clear();
      virtual_ = 0;
      delimiter(r.close);
      feed(rest);
      return bytes;
    }
    if (r.kind == Scan::Kind::need_more && r.pos < old) {
      // Still undecided: everything taken is held.
      data(held);
      pending_.erase(0, r.pos);
      virtual_ = r.pos < virtual_ ? virtual_ - r.pos : 0;
      return bytes.substr(take);
    }
    // The held bytes were data; the new ones are scanned in place below.
    data(held);
    pending_.clear();
    virtual_ = 0;
  }
  const Scan r = scan(bytes, false);
  switch (r.kind) {
    case Scan::Kind::delimiter:
      data(bytes.substr(0, r.pos));
      delimiter(r.close);
      return bytes.substr(r.next);
    case Scan::Kind::need_more:
      data(bytes.substr(0, r.pos));
      pending_ = bytes.substr(r.pos);
      return {};
    case Scan::Kind::none: data(bytes); return {};
  }
  return {};
}

void Parser::feed(std::string_view bytes) {
  while (!bytes.empty()) {
    switch (state_) {
      case State::epilogue: return;  // ignored
      case State::headers: bytes = feed_headers(bytes); break;
      case State::preamble:
      case State::body: bytes = feed_framed(bytes); break;
    }
  }
}

void Parser::finish() {
  switch (state_) {
    case State::epilogue: return;
    case State::headers: throw ParseError("missing closing boundary");
    case State::preamble:
    case State::body:
      // The held-back candidate cannot be a delimiter now, but may be a cut one.
      if (!pending_.empty()) scan(pending_, true);
      throw ParseError(state_ == State::preamble ? "no first boundary" : "missing closing boundary");
  }
}

std::vector<Part> parse(std::string_view body, std::string_view boundary, const Limits& limits) {
  // Fed in one piece, every part's bytes come as views into `body`, in one or more
  // adjacent pieces: joined here into one view.
  class Collect final : public PartSink {
   public:
    std::vector<Part> parts;
    void part_begin(const Part& headers) override { parts.push_back(headers); }
    void part_data(std::string_view bytes) override {
      std::string_view& b = parts.back().body;
      if (b.empty()) {
        b = bytes;
      } else {
        if (b.data() + b.size() != bytes.data()) throw std::logic_error("multipart: part body not contiguous");
        b = std::string_view(b.data(), b.size() + bytes.size());
      }
    }
    void part_end() override {}
  } collect;
  Parser parser(boundary, collect, limits);
  parser.feed(body);
  parser.finish();
  return std::move(collect.parts);
}

}  // namespace imghost::multipart
