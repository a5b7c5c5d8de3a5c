// The primitives imghost needs, from the kernel and OpenSSL rather than by hand.
#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace imghost::crypto {

using Sha256 = std::array<unsigned char, 32>;

Sha256 sha256(std::string_view bytes);  // OpenSSL EVP; throws on (impossible) failure

// SHA-256 of bytes that arrive in pieces (an upload streamed to disk).  Owns an OpenSSL
// EVP context.  Not thread-safe; throws std::runtime_error on (impossible) failure.
class Sha256Stream {
 public:
  Sha256Stream();
  ~Sha256Stream();
  Sha256Stream(Sha256Stream&& o) noexcept;
  Sha256Stream& operator=(Sha256Stream&&) = delete;
  Sha256Stream(const Sha256Stream&) = delete;
  Sha256Stream& operator=(const Sha256Stream&) = delete;

  void update(std::string_view bytes);
  // The digest of everything given; the stream starts over empty afterwards.
  Sha256 finish();

 private:
  void* ctx_;  // EVP_MD_CTX
};
// The SHA-256 and size of the open file `fd`, read from its start in 1 MiB pieces (a
// video of hundreds of megabytes never in memory), leaving its offset alone.  Throws
// std::system_error when a read fails.
struct FileDigest {
  Sha256 sha256;
  std::uint64_t size = 0;
};
FileDigest sha256_of_file(int fd);

// 64 lowercase hex digits, and back (either case); nullopt for anything else.
std::string to_hex(const Sha256& d);
std::optional<Sha256> sha256_from_hex(std::string_view hex);

// MD5 as 32 lowercase hex digits: not for security, only to find an entry of nginx's
// cache, which names its files so (store/nginx_cache.hpp).
std::string md5_hex(std::string_view bytes);

// `n` bytes from getrandom(2): blocks only until the kernel pool is first seeded.
// Throws std::system_error on failure.
std::string random_bytes(std::size_t n);

// Equality that takes the same time wherever the first difference is (token checks).
bool constant_time_equal(std::string_view a, std::string_view b);

}  // namespace imghost::crypto
