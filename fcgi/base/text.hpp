// Small text rules used where client text enters imghost.  Pure, thread-safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace imghost::text {

// The length (1..4) of the valid UTF-8 sequence that starts at s[i], and its code point
// in `*cp` when given; 0 when there is none (overlong forms, surrogates, code points
// above U+10FFFF, a sequence cut by the end).  Precondition: i < s.size().
std::size_t utf8_sequence(std::string_view s, std::size_t i, char32_t* cp = nullptr);

bool is_valid_utf8(std::string_view s);
// Number of code points; precondition: is_valid_utf8(s).
std::size_t utf8_length(std::string_view s);

// C0 controls, DEL and the C1 controls (U+0080..U+009F, NEL among them).
bool is_control(char32_t cp);
// What breaks a line or reorders text where client text is shown as one line (a log
// viewer, an editor, a terminal): every control, the line and paragraph separators
// U+2028/U+2029, and the bidirectional marks and overrides (U+061C, U+200E, U+200F,
// U+202A..U+202E, U+2066..U+2069), which can make "gpj.exe" read as "exe.jpg".
bool breaks_display(char32_t cp);

// The first control character of valid UTF-8 text other than tab, CR and LF (which a
// multi-line text field sends), or nullopt.  For text that is shown and stored as
// given, such as descriptions: a NUL would cut it short in C APIs, an escape sequence
// would reach a terminal.
std::optional<char32_t> first_forbidden_control(std::string_view utf8);

// A client's file name made fit to keep as metadata: the last path component (after
// '/' or '\'), every code point that breaks_display() replaced by '_', invalid UTF-8
// replaced by U+FFFD, at most 255 bytes (cut on a character boundary).  Never used as
// a path.
std::string clean_filename(std::string_view raw);

// Equality ignoring the case of ASCII letters ("JPEG" and "jpeg").
bool ascii_iequals(std::string_view a, std::string_view b);

// `s` without leading and trailing spaces, tabs and CRs.
std::string_view trim(std::string_view s);

// One setting of a "key = value" file (the configuration, the S3 credentials file).
struct KeyValue {
  int line = 0;                      // 1-based
  std::string key;                   // trimmed
  std::optional<std::string> value;  // trimmed; nullopt: the line has no '=' (the caller's error)
};
// The settings of such a file's text, in order: '#' starts a comment, blank lines are
// skipped.  No key is interpreted here.
std::vector<KeyValue> key_values(std::string_view file_text);

// A size as settings and commands write it: a byte count, or one with a binary K, M, G
// or T suffix, optionally followed by B or iB ("5M", "5MiB", "10G" are MiB and GiB).
// nullopt when it is not one, or does not fit in 63 bits.
std::optional<std::uint64_t> parse_size(std::string_view v);

// Percent-encoding of a query component: every byte but RFC 3986's unreserved ones
// (letters, digits, - . _ ~), so a whole URL fits in one parameter.
std::string url_encode(std::string_view in);
// Percent-decoding of a query component ('+' is a space).  Returns false on a bad escape.
bool url_decode(std::string_view in, std::string& out);
// Sets `out` to the decoded value of `key` in a query string; false when absent or malformed.
bool query_param(std::string_view query, std::string_view key, std::string& out);

}  // namespace imghost::text
