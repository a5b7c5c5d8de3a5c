// multipart/form-data (RFC 7578, framing from RFC 2046 §5.1) parsed from bytes, as they
// arrive (Parser: the body pushed in pieces of any size, each part's bytes handed on as
// they are recognized, never the whole body in memory) or whole (parse()).
//
// No I/O, no globals.  A Parser is one body's state, not thread-safe; parse() and
// boundary_from_content_type() are pure and thread-safe.
#pragma once

#include <cstddef>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace imghost::multipart {

// Thrown for any malformed body; what() is a short English reason fit for a
// client ("missing closing boundary", "part header too long", ...).
class ParseError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct Part {
  std::string name;                     // the form field name from Content-Disposition
  std::optional<std::string> filename;  // filename* (RFC 5987/8187, UTF-8) wins over filename
  std::string content_type;             // as sent, empty if absent; never trusted
  std::string_view body;                // view into the parsed buffer
};

struct Limits {
  std::size_t max_parts = 64;           // more parts than this is a ParseError
  std::size_t max_header_bytes = 8192;  // the header block of one part
};

// Transport padding (spaces and tabs) allowed after a boundary on its line.  A longer run
// is a ParseError ("boundary line too long"): the parser holds a possible delimiter line
// back until it knows whether it is one, and this bounds what it holds.
inline constexpr std::size_t kMaxBoundaryPadding = 1024;

// Receives a body's parts from a Parser, in order: part_begin() with the part's headers
// (its body empty), then part_data() with its bytes in pieces (never empty; views valid
// only during the call), then part_end().  A ParseError may come after some parts were
// handed on: the body is then malformed as a whole, and whatever was received is to be
// thrown away.  Exceptions thrown by the sink go through the Parser unchanged.
class PartSink {
 public:
  virtual ~PartSink() = default;
  virtual void part_begin(const Part& headers) = 0;
  virtual void part_data(std::string_view bytes) = 0;
  virtual void part_end() = 0;
};

// One body, pushed in pieces: feed() as many times as it takes, then finish().  Whatever
// the pieces, the parts, their bytes and the errors are exactly those of parse() on the
// whole body.  Memory: the current part's header block (up to max_header_bytes), plus at
// most one possible delimiter line held back (the boundary and kMaxBoundaryPadding).
class Parser {
 public:
  // Throws ParseError for an empty boundary.  `sink` must outlive the parser.
  Parser(std::string_view boundary, PartSink& sink, const Limits& limits = {});
  // The next bytes of the body.  Throws ParseError (and the parser is then unusable).
  void feed(std::string_view bytes);
  // The end of the body.  Throws ParseError when it is truncated or has no boundary.
  void finish();
  // Whether the close delimiter has been seen (what follows it is ignored).
  bool closed() const { return state_ == State::epilogue; }

 private:
  enum class State { preamble, headers, body, epilogue };
  struct Scan {
    enum class Kind { none, need_more, delimiter } kind = Kind::none;
    std::size_t pos = 0;   // where the delimiter (or the undecided candidate) starts
    std::size_t next = 0;  // delimiter: the first byte after its line
    bool close = false;
  };
  Scan scan(std::string_view buf, bool at_end) const;
  void data(std::string_view bytes);
  void delimiter(bool close);
  std::string_view feed_headers(std::string_view bytes);
  std::string_view feed_framed(std::string_view bytes);
  void header_line(std::string_view line);

  PartSink& sink_;
  Limits limits_;
  std::string pattern_;  // CRLF "--" boundary
  State state_ = State::preamble;
  // Bytes held back: a possible delimiter that needs more input to decide.  Its first
  // `virtual_` bytes are a CRLF that is not data (the one before the body's very first
  // byte, or the empty line that ended a header block, which the next delimiter may use).
  std::string pending_;
  std::size_t virtual_ = 0;
  std::size_t parts_ = 0;
  Part part_;  // headers of the current part
  std::string header_block_;
  std::size_t header_cursor_ = 0;
  bool have_disposition_ = false;
  bool have_type_ = false;
};

// The boundary parameter of a Content-Type header value, if the type is
// multipart/form-data (case-insensitive) and the boundary is 1..70 characters
// (quoted or token form).  nullopt otherwise, and also for a malformed
// parameter list, two boundary parameters, control characters in the boundary
// or a trailing space.
std::optional<std::string> boundary_from_content_type(std::string_view content_type);

// Parses a whole body (a Parser fed once).  Part bodies are views into `body`, which
// must outlive the returned parts (an empty body's view points nowhere in particular).
// Preamble before the first boundary and epilogue after the closing one are ignored.  Throws ParseError on: no first
// boundary, a missing closing boundary, a part without Content-Disposition: form-data or without a name, header lines
// without CRLF, too many parts, headers over the limit. Also on: an empty boundary, a boundary line ended by a bare LF
// (LF-only bodies are rejected, not guessed at), folded header lines, duplicate Content-Disposition / Content-Type
// headers or name / filename parameters, or more than kMaxBoundaryPadding spaces and tabs after a boundary. A body that
// is only the close delimiter yields zero parts.  Names and filenames are raw bytes (not checked as UTF-8; filename may
// hold a client path such as C:\dir\a.jpg); an empty filename ("no file chosen") is kept.
std::vector<Part> parse(std::string_view body, std::string_view boundary, const Limits& limits = {});

}  // namespace imghost::multipart
