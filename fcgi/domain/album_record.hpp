// One album as flows return it and renderers show it.
#pragma once

#include <optional>
#include <string>

#include "base/crypto.hpp"
#include "domain/image_record.hpp"
#include "domain/visibility.hpp"

namespace imghost {

struct AlbumRecord {
  long long seq = 0;
  std::string id;
  std::optional<std::string> title;
  std::optional<std::string> description;
  Visibility visibility = Visibility::unlisted;
  std::optional<long long> owner_id;
  std::optional<std::string> owner;  // the owner's username
  std::string manage_token_hash;     // raw 32 bytes; empty for an account's album
  std::string status;                // "open", "closed", "deleting" (never stored: "expired")
  bool expired = false;              // expires_at <= now(), by the database's clock
  std::optional<int> max_items;
  long long item_count = 0;
  std::optional<std::string> cover_id;    // the cover image's id
  std::optional<std::string> expires_at;  // ISO 8601, UTC, "Z"
  std::string created_at;                 // ISO 8601, UTC, "Z"
};

// An album's row as the flows make it and the repository inserts it: a new id, and for
// an anonymous album the hash of its new manage token.
struct NewAlbum {
  std::string id;
  std::optional<std::string> title;
  std::optional<std::string> description;
  Visibility visibility = Visibility::unlisted;
  std::optional<long long> owner_id;
  std::optional<crypto::Sha256> manage_token_hash;  // anonymous albums
  std::optional<int> max_items;
  std::optional<long long> expires_in;  // seconds from now; nullopt: never
};

// An image of an album, at its position in the album's order.
struct AlbumItem {
  long long position = 0;
  ImageRecord image;
};

}  // namespace imghost
