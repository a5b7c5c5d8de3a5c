// The three primitives imghost needs, from the kernel and OpenSSL rather than by hand.
#pragma once

#include <array>
#include <cstddef>
#include <string>
#include <string_view>

namespace imghost::crypto {

using Sha256 = std::array<unsigned char, 32>;

Sha256 sha256(std::string_view bytes);           // OpenSSL EVP; throws on (impossible) failure
std::string hex(const unsigned char* p, std::size_t n);
inline std::string hex(const Sha256& d) { return hex(d.data(), d.size()); }

// `n` bytes from getrandom(2): blocks only until the kernel pool is first seeded.
// Throws std::system_error on failure.
std::string random_bytes(std::size_t n);

// Equality that takes the same time wherever the first difference is (token checks).
bool constant_time_equal(std::string_view a, std::string_view b);

}  // namespace imghost::crypto
