#include "base/page_cursor.hpp"

#include <sodium.h>

#include <array>
#include <stdexcept>

namespace imghost::page_cursor {
namespace {

constexpr std::size_t kNonce = crypto_aead_xchacha20poly1305_ietf_NPUBBYTES;
constexpr std::size_t kTag = crypto_aead_xchacha20poly1305_ietf_ABYTES;
constexpr std::size_t kPlain = 8;  // the position, big-endian
constexpr std::size_t kSealed = kNonce + kPlain + kTag;
constexpr int kBase64 = sodium_base64_VARIANT_URLSAFE_NO_PADDING;

void check(std::string_view secret) {
  // sodium_init() is thread-safe and idempotent; it returns 1 when already done.
  static const int rc = sodium_init();
  if (rc < 0) throw std::runtime_error("libsodium cannot start");
  if (secret.size() != kKeyBytes) throw std::runtime_error("page cursor key: not 32 bytes");
}

const unsigned char* bytes(std::string_view s) { return reinterpret_cast<const unsigned char*>(s.data()); }

}  // namespace

std::string seal(std::string_view secret, std::string_view scope, long long key) {
  check(secret);
  std::array<unsigned char, kPlain> plain{};
  for (std::size_t i = 0; i < kPlain; ++i)
    plain[i] = static_cast<unsigned char>(static_cast<unsigned long long>(key) >> (8 * (kPlain - 1 - i)));
  std::array<unsigned char, kSealed> sealed{};
  randombytes_buf(sealed.data(), kNonce);
  crypto_aead_xchacha20poly1305_ietf_encrypt(sealed.data() + kNonce, nullptr, plain.data(), plain.size(), bytes(scope),
                                             scope.size(), nullptr, sealed.data(), bytes(secret));
  std::string out(sodium_base64_ENCODED_LEN(kSealed, kBase64), '\0');
  sodium_bin2base64(out.data(), out.size(), sealed.data(), sealed.size(), kBase64);
  out.resize(out.size() - 1);  // the terminating NUL
  return out;
}

std::optional<long long> open(std::string_view secret, std::string_view scope, std::string_view cursor) {
  check(secret);
  std::array<unsigned char, kSealed> sealed{};
  std::size_t length = 0;
  const char* end = nullptr;
  if (sodium_base642bin(sealed.data(), sealed.size(), cursor.data(), cursor.size(), nullptr, &length, &end, kBase64) !=
          0 ||
      length != kSealed || end != cursor.data() + cursor.size())
    return std::nullopt;
  std::array<unsigned char, kPlain> plain{};
  if (crypto_aead_xchacha20poly1305_ietf_decrypt(plain.data(), nullptr, nullptr, sealed.data() + kNonce,
                                                 kSealed - kNonce, bytes(scope), scope.size(), sealed.data(),
                                                 bytes(secret)) != 0)
    return std::nullopt;
  unsigned long long key = 0;
  for (const unsigned char b : plain) key = key << 8 | b;
  return static_cast<long long>(key);
}

}  // namespace imghost::page_cursor
