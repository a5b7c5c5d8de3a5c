// Names imghost generates: image ids, stored file names, delete tokens.  All random
// (getrandom), in lowercase RFC 4648 base32 so they are URL-safe, case-stable and
// never need escaping.  Nothing a client sends ever becomes a name.
#pragma once

#include <string>
#include <string_view>

#include "domain/image_format.hpp"

namespace imghost::naming {

inline constexpr std::size_t kIdChars = 20;     // 100 random bits
inline constexpr std::size_t kNameChars = 20;   // 100 random bits, plus ".ext"
inline constexpr std::size_t kTokenChars = 32;  // 160 random bits

// Lowercase RFC 4648 base32: the characters of every generated name.
inline constexpr std::string_view kBase32Alphabet = "abcdefghijklmnopqrstuvwxyz234567";

std::string random_base32(std::size_t chars);
// Only characters of kBase32Alphabet (true for "").
bool is_base32(std::string_view s);

std::string new_image_id();
std::string new_file_name(image::Format f);  // "k3j...q.jpg"
std::string new_delete_token();

bool is_image_id(std::string_view s);
// A stored file name: kNameChars base32 characters, '.', one of jpg/png/gif/webp.
bool is_file_name(std::string_view s);

}  // namespace imghost::naming
