#include "base/password.hpp"

#include <sodium.h>

#include <stdexcept>

namespace imghost::password {
namespace {

void ensure_sodium() {
  // sodium_init() is thread-safe and idempotent; it returns 1 when already done.
  static const int rc = sodium_init();
  if (rc < 0) throw std::runtime_error("libsodium cannot start");
}

}  // namespace

std::string hash(std::string_view password) {
  ensure_sodium();
  char out[crypto_pwhash_STRBYTES];
  if (crypto_pwhash_str_alg(out, password.data(), password.size(), kOpsLimit, kMemLimit,
                            crypto_pwhash_ALG_ARGON2ID13) != 0)
    throw std::runtime_error("out of memory for the password hash");
  return out;
}

bool verify(std::string_view stored, std::string_view password) {
  ensure_sodium();
  // crypto_pwhash_str_verify wants a NUL-terminated string no longer than STRBYTES.
  if (stored.size() >= crypto_pwhash_STRBYTES || !stored.starts_with("$argon2id$")) return false;
  const std::string s(stored);
  return crypto_pwhash_str_verify(s.c_str(), password.data(), password.size()) == 0;
}

bool needs_rehash(std::string_view stored) {
  ensure_sodium();
  const std::string s(stored);
  return crypto_pwhash_str_needs_rehash(s.c_str(), kOpsLimit, kMemLimit) != 0;
}

const std::string& decoy() {
  static const std::string d = hash("imghost decoy: no account has this password");
  return d;
}

}  // namespace imghost::password
