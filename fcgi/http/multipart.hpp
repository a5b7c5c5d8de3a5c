// multipart/form-data (RFC 7578, framing from RFC 2046 §5.1) parsed from bytes.
//
// Pure functions: no I/O, no globals, no allocation of part bodies (they are views
// into the caller's buffer, which must outlive the returned parts).  Thread-safe.
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

// The boundary parameter of a Content-Type header value, if the type is
// multipart/form-data (case-insensitive) and the boundary is 1..70 characters
// (quoted or token form).  nullopt otherwise, and also for a malformed
// parameter list, two boundary parameters, control characters in the boundary
// or a trailing space.
std::optional<std::string> boundary_from_content_type(std::string_view content_type);

// Parses a whole body.  Preamble before the first boundary and epilogue after the
// closing one are ignored.  Throws ParseError on: no first boundary, a missing
// closing boundary, a part without Content-Disposition: form-data or without a
// name, header lines without CRLF, too many parts, headers over the limit.
// Also on: an empty boundary, a boundary line ended by a bare LF (LF-only bodies
// are rejected, not guessed at), folded header lines, duplicate
// Content-Disposition / Content-Type headers or name / filename parameters.
// A body that is only the close delimiter yields zero parts.  Names and
// filenames are raw bytes (not checked as UTF-8; filename may hold a client
// path such as C:\dir\a.jpg); an empty filename ("no file chosen") is kept.
std::vector<Part> parse(std::string_view body, std::string_view boundary, const Limits& limits = {});

}  // namespace imghost::multipart
