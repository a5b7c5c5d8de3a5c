// One file of an upload as it streams in from the request body: its bytes go to a staged
// file of the store while their SHA-256 is computed, so the body is never held whole
// (handlers/upload.cpp parses it; core/upload_validation.hpp checks the file after).
#pragma once

#include <optional>
#include <string_view>

#include "base/crypto.hpp"
#include "core/app.hpp"
#include "store/store.hpp"

namespace imghost {

class IncomingFile {
 public:
  // Appends `bytes`; the staged file is made with the first of them.  Throws
  // std::system_error (the store: ENOSPC, EIO...).
  void write(const App& app, std::string_view bytes);
  // The part is a file already staged whole (a finished resumable upload's, linked),
  // whose hash is `sha256`: instead of write() and finish().
  void adopt(store::Staged staged, const crypto::Sha256& sha256) {
    staged_ = std::move(staged);
    sha256_ = sha256;
  }
  // Nothing more of it is kept, and what was staged goes (over the file limit).
  void drop() { writer_.reset(); }
  // The part has ended: its staged file is finished (synced when placed, if it is new)
  // and its hash known.
  void finish();
  // Its staged file goes now, if not taken.
  void release() { staged_ = store::Staged(); }

  const store::Staged& staged() const { return staged_; }
  store::Staged take_staged() { return std::move(staged_); }
  const crypto::Sha256& sha256() const { return sha256_; }

 private:
  std::optional<store::StagedWriter> writer_;  // open while the part streams
  store::Staged staged_;                       // its bytes, once the part ended
  crypto::Sha256Stream hash_;
  crypto::Sha256 sha256_{};
};

}  // namespace imghost
