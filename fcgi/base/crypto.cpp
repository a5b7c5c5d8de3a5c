#include "base/crypto.hpp"

#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <sys/random.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <stdexcept>
#include <system_error>

#include "base/hex.hpp"

namespace imghost::crypto {

Sha256 sha256(std::string_view bytes) {
  Sha256 out{};
  unsigned int len = 0;
  if (EVP_Digest(bytes.data(), bytes.size(), out.data(), &len, EVP_sha256(), nullptr) != 1 || len != out.size())
    throw std::runtime_error("EVP_Digest(sha256) failed");
  return out;
}

Sha256Stream::Sha256Stream() : ctx_(EVP_MD_CTX_new()) {
  if (!ctx_ || EVP_DigestInit_ex(static_cast<EVP_MD_CTX*>(ctx_), EVP_sha256(), nullptr) != 1) {
    EVP_MD_CTX_free(static_cast<EVP_MD_CTX*>(ctx_));
    throw std::runtime_error("EVP_DigestInit_ex(sha256) failed");
  }
}

Sha256Stream::~Sha256Stream() { EVP_MD_CTX_free(static_cast<EVP_MD_CTX*>(ctx_)); }

Sha256Stream::Sha256Stream(Sha256Stream&& o) noexcept : ctx_(o.ctx_) { o.ctx_ = nullptr; }

void Sha256Stream::update(std::string_view bytes) {
  if (!ctx_ || EVP_DigestUpdate(static_cast<EVP_MD_CTX*>(ctx_), bytes.data(), bytes.size()) != 1)
    throw std::runtime_error("EVP_DigestUpdate(sha256) failed");
}

Sha256 Sha256Stream::finish() {
  Sha256 out{};
  unsigned int len = 0;
  auto* ctx = static_cast<EVP_MD_CTX*>(ctx_);
  if (!ctx || EVP_DigestFinal_ex(ctx, out.data(), &len) != 1 || len != out.size() ||
      EVP_DigestInit_ex(ctx, EVP_sha256(), nullptr) != 1)
    throw std::runtime_error("EVP_DigestFinal_ex(sha256) failed");
  return out;
}

FileDigest sha256_of_file(int fd) {
  Sha256Stream h;
  FileDigest out;
  std::string buf(1u << 20, '\0');
  for (;;) {
    const ssize_t n = ::pread(fd, buf.data(), buf.size(), static_cast<off_t>(out.size));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throw std::system_error(errno, std::generic_category(), "read a file to hash it");
    if (n == 0) break;
    h.update(std::string_view(buf.data(), static_cast<std::size_t>(n)));
    out.size += static_cast<std::uint64_t>(n);
  }
  out.sha256 = h.finish();
  return out;
}

std::string to_hex(const Sha256& d) { return hex::encode(d.data(), d.size()); }

std::string md5_hex(std::string_view bytes) {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  if (EVP_Digest(bytes.data(), bytes.size(), out, &len, EVP_md5(), nullptr) != 1 || len != 16)
    throw std::runtime_error("EVP_Digest(md5) failed");
  return hex::encode(out, len);
}

std::optional<Sha256> sha256_from_hex(std::string_view text) {
  const auto raw = hex::decode(text);
  Sha256 d{};
  if (!raw || raw->size() != d.size()) return std::nullopt;
  std::copy(raw->begin(), raw->end(), d.begin());
  return d;
}

std::string random_bytes(std::size_t n) {
  std::string out(n, '\0');
  std::size_t got = 0;
  while (got < n) {
    const ssize_t r = getrandom(out.data() + got, n - got, 0);
    if (r < 0) {
      if (errno == EINTR) continue;
      throw std::system_error(errno, std::generic_category(), "getrandom");
    }
    got += static_cast<std::size_t>(r);
  }
  return out;
}

bool constant_time_equal(std::string_view a, std::string_view b) {
  // The lengths of a token hash are public (fixed), so only the content is compared
  // in constant time.
  return a.size() == b.size() && CRYPTO_memcmp(a.data(), b.data(), a.size()) == 0;
}

}  // namespace imghost::crypto
