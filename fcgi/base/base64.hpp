// Standard base64 (RFC 4648 section 4, with padding), as tus sends it in Upload-Metadata
// values and Upload-Checksum digests.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace imghost::base64 {

// The bytes `text` encodes, or nullopt when it is not canonical padded base64 (a length
// that is not a multiple of 4, a character outside the alphabet, padding in the middle).
std::optional<std::string> decode(std::string_view text);
std::string encode(std::string_view bytes);

}  // namespace imghost::base64
