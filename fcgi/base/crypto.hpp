// The three primitives imghost needs, from the kernel and OpenSSL rather than by hand.
#pragma once

#include <array>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace imghost::crypto {

using Sha256 = std::array<unsigned char, 32>;

Sha256 sha256(std::string_view bytes);  // OpenSSL EVP; throws on (impossible) failure
// 64 lowercase hex digits, and back (either case); nullopt for anything else.
std::string to_hex(const Sha256& d);
std::optional<Sha256> sha256_from_hex(std::string_view hex);

// `n` bytes from getrandom(2): blocks only until the kernel pool is first seeded.
// Throws std::system_error on failure.
std::string random_bytes(std::size_t n);

// Equality that takes the same time wherever the first difference is (token checks).
bool constant_time_equal(std::string_view a, std::string_view b);

}  // namespace imghost::crypto
