// Page cursors: the position where the next page of a list starts, sealed so that a
// client can hand it back but can neither read it nor make one up.
//
// A list pages by keyset on a number the client must not learn (an image's or album's
// insertion sequence, counting rows it may not see; an album item's position).  The
// cursor is that number encrypted and authenticated with a server secret
// (XChaCha20-Poly1305 from libsodium, a random nonce each time), the list's scope bound
// as associated data: a cursor of one list opens in no other, and any byte changed makes
// it fail.  Why not the last item's public id: a deleted item would strand the client
// mid-list, and the id of an item the list does not show (an unlisted image in the
// catalog) would tell where it sits.
//
// Pure and thread-safe (libsodium is initialised on first use).  Throws
// std::runtime_error only when libsodium cannot start or the key is not kKeyBytes long.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace imghost::page_cursor {

inline constexpr std::size_t kKeyBytes = 32;

// The cursor of position `key` in the list `scope`: URL-safe base64 without padding,
// 64 characters.
std::string seal(std::string_view secret, std::string_view scope, long long key);

// The position in `cursor`, or nullopt when it is malformed, was sealed for another
// scope or with another secret, or was altered.
std::optional<long long> open(std::string_view secret, std::string_view scope, std::string_view cursor);

}  // namespace imghost::page_cursor
