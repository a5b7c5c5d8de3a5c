#include "base/digest.hpp"

#include <openssl/evp.h>

#include <stdexcept>
#include <utility>

namespace imghost::crypto {

std::optional<DigestStream> DigestStream::named(std::string_view algorithm) {
  if (algorithm == "sha1") return DigestStream(EVP_sha1());
  if (algorithm == "sha256") return DigestStream(EVP_sha256());
  return std::nullopt;
}

DigestStream::DigestStream(const void* md) : ctx_(EVP_MD_CTX_new()) {
  if (!ctx_ || EVP_DigestInit_ex(static_cast<EVP_MD_CTX*>(ctx_), static_cast<const EVP_MD*>(md), nullptr) != 1) {
    EVP_MD_CTX_free(static_cast<EVP_MD_CTX*>(ctx_));
    throw std::runtime_error("EVP_DigestInit_ex failed");
  }
}

DigestStream::~DigestStream() { EVP_MD_CTX_free(static_cast<EVP_MD_CTX*>(ctx_)); }

DigestStream::DigestStream(DigestStream&& o) noexcept : ctx_(std::exchange(o.ctx_, nullptr)) {}

void DigestStream::update(std::string_view bytes) {
  if (EVP_DigestUpdate(static_cast<EVP_MD_CTX*>(ctx_), bytes.data(), bytes.size()) != 1)
    throw std::runtime_error("EVP_DigestUpdate failed");
}

std::string DigestStream::finish() {
  unsigned char out[EVP_MAX_MD_SIZE];
  unsigned int n = 0;
  if (EVP_DigestFinal_ex(static_cast<EVP_MD_CTX*>(ctx_), out, &n) != 1)
    throw std::runtime_error("EVP_DigestFinal_ex failed");
  return std::string(reinterpret_cast<const char*>(out), n);
}

}  // namespace imghost::crypto
