// Who sees an image: `public` images are listed in the catalog page and in
// GET /api/v1/images; `unlisted` ones are reachable only by whoever has a link to them
// (their page /i/{id}, their file, the API's get-by-id).  Pure, thread-safe.
#pragma once

#include <optional>
#include <string_view>

namespace imghost {

enum class Visibility {
  public_,  // trailing '_': `public` is a C++ keyword
  unlisted,
};

// "public" or "unlisted": the upload field's values, the JSON's and the database's.
constexpr std::string_view name(Visibility v) { return v == Visibility::public_ ? "public" : "unlisted"; }

// The value for "public" or "unlisted"; nullopt for anything else (no trimming, no case folding).
constexpr std::optional<Visibility> parse_visibility(std::string_view s) {
  if (s == "public") return Visibility::public_;
  if (s == "unlisted") return Visibility::unlisted;
  return std::nullopt;
}

}  // namespace imghost
