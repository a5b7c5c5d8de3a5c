// What a removal did, counted: the cleanup's report (core/cleanup.hpp, printed by
// `imghost-admin expire`) and an album's removal (core/album_removal.hpp).
#pragma once

#include <cstddef>

namespace imghost {

// Why an image or album goes: its log line says it ("image <name> deleted." / "expired.").
enum class RemovalCause { deleted, expired };

struct RemovalReport {
  std::size_t images = 0;        // image rows removed
  std::size_t albums = 0;        // album rows removed
  std::size_t files = 0;         // files (original and thumbnail of a name) removed from the store
  std::size_t failed = 0;        // names left queued because the store failed
  std::size_t empty_albums = 0;  // albums removed for staying empty (not in `albums`)
};

}  // namespace imghost
