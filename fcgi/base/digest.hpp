// A digest of bytes that arrive in pieces, by the name tus gives its algorithm
// (Upload-Checksum: "sha1" or "sha256"), computed by OpenSSL's EVP.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace imghost::crypto {

class DigestStream {
 public:
  // nullopt for an algorithm other than "sha1" and "sha256".
  static std::optional<DigestStream> named(std::string_view algorithm);
  ~DigestStream();
  DigestStream(DigestStream&& o) noexcept;
  DigestStream& operator=(DigestStream&&) = delete;
  DigestStream(const DigestStream&) = delete;
  DigestStream& operator=(const DigestStream&) = delete;

  void update(std::string_view bytes);
  // The raw digest (20 or 32 bytes) of everything given.  Throws std::runtime_error on
  // (impossible) failure.
  std::string finish();

 private:
  explicit DigestStream(const void* md);
  void* ctx_;  // EVP_MD_CTX
};

}  // namespace imghost::crypto
