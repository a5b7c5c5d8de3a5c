// Small text rules used where client text enters imghost.  Pure, thread-safe.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace imghost::text {

bool is_valid_utf8(std::string_view s);
// Number of code points; precondition: is_valid_utf8(s).
std::size_t utf8_length(std::string_view s);

// A client's file name made fit to keep as metadata: the last path component (after
// '/' or '\'), control characters replaced by '_', invalid UTF-8 replaced by U+FFFD,
// at most 255 bytes (cut on a character boundary).  Never used as a path.
std::string clean_filename(std::string_view raw);

// Percent-decoding of a query component ('+' is a space).  Returns false on a bad escape.
bool url_decode(std::string_view in, std::string& out);
// Sets `out` to the decoded value of `key` in a query string; false when absent or malformed.
bool query_param(std::string_view query, std::string_view key, std::string& out);

}  // namespace imghost::text
