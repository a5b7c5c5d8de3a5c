// Password hashing: Argon2id from libsodium (crypto_pwhash_str), the string form that
// carries its own salt and parameters ("$argon2id$v=19$m=12288,t=3,p=1$...").
//
// Parameters: 12 MiB of memory, 3 passes, one lane: one of the OWASP-recommended
// Argon2id settings (equivalent to 19 MiB x 2), chosen because it costs a worker the
// least time of them here (README, "Accounts": measured on this machine).  A hash made
// with other parameters still verifies; needs_rehash() tells the login to re-hash it.
//
// Thread-safe (libsodium is initialised once, on first use).  Throws std::runtime_error
// only when libsodium cannot start or cannot allocate the memory.
#pragma once

#include <string>
#include <string_view>

namespace imghost::password {

inline constexpr unsigned long long kOpsLimit = 3;
inline constexpr std::size_t kMemLimit = 12u << 20;

// The Argon2id string of `password`, with a fresh random salt.
std::string hash(std::string_view password);

// Whether `password` matches `stored` (an Argon2id string).  Constant-time in the
// password; false for a malformed `stored`.
bool verify(std::string_view stored, std::string_view password);

// Whether `stored` was made with other parameters than the ones above.
bool needs_rehash(std::string_view stored);

// A valid hash of nothing anyone knows: verified against when a login names an unknown
// user, so that answer takes as long as a wrong password.
const std::string& decoy();

}  // namespace imghost::password
