#include "domain/naming.hpp"

#include "base/crypto.hpp"

namespace imghost::naming {
namespace {

constexpr std::string_view kAlphabet = kBase32Alphabet;

bool all_base32(std::string_view s) { return s.find_first_not_of(kAlphabet) == std::string_view::npos; }

}  // namespace

bool is_base32(std::string_view s) { return all_base32(s); }

std::string random_base32(std::size_t chars) {
  // One random byte per character, keeping the low 5 bits: 256 is a multiple of 32,
  // so every character is uniform and there is no modulo bias.
  std::string out = crypto::random_bytes(chars);
  for (auto& c : out) c = kAlphabet[static_cast<unsigned char>(c) & 31];
  return out;
}

std::string new_image_id() { return random_base32(kIdChars); }

std::string new_file_name(image::Format f) {
  std::string n = random_base32(kNameChars);
  n += '.';
  n += image::extension(f);
  return n;
}

std::string new_delete_token() { return random_base32(kTokenChars); }

bool is_image_id(std::string_view s) { return s.size() == kIdChars && all_base32(s); }

bool is_file_name(std::string_view s) {
  if (s.size() <= kNameChars + 1 || s[kNameChars] != '.') return false;
  if (!all_base32(s.substr(0, kNameChars))) return false;
  const auto ext = s.substr(kNameChars + 1);
  return ext == "jpg" || ext == "png" || ext == "gif" || ext == "webp" || ext == "mp4" || ext == "webm";
}

}  // namespace imghost::naming
