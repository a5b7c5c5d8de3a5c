// One image as flows return it and renderers show it: a row of `images` with its
// blob's format, size and dimensions, and its owner's name.
#pragma once

#include <optional>
#include <string>

#include "domain/visibility.hpp"

namespace imghost {

struct ImageRecord {
  long long seq = 0;  // keyset for paging; newest is largest
  std::string id;
  std::string name;  // stored file name
  std::string original_filename;
  std::string format;          // "jpeg", ..., "mp4", "webm"
  std::string kind = "image";  // "image" or "video" (sql/012)
  // A video's facts; nullopt for an image (and audio_codec for a silent video).
  std::optional<double> duration;  // seconds
  std::optional<std::string> video_codec;
  std::optional<std::string> audio_codec;
  long long size = 0;
  int width = 0;
  int height = 0;
  std::string sha256;  // hex
  std::optional<std::string> description;
  std::string created_at;  // ISO 8601, UTC, "Z"
  Visibility visibility = Visibility::unlisted;
  std::optional<long long> owner_id;      // nullopt: an anonymous upload
  std::optional<std::string> owner;       // the owner's username
  std::optional<std::string> expires_at;  // ISO 8601, UTC, "Z"; nullopt: never
  bool expired = false;                   // expires_at <= now(), by the database's clock
};

}  // namespace imghost
