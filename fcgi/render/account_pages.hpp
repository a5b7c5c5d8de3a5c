// The browser's account pages: signup, login, "My images" and the API tokens page.
// Each returns a complete document; all variable text is escaped; every form that
// changes something carries the session's CSRF token (`csrf`, "" when anonymous).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "domain/album_record.hpp"
#include "domain/config.hpp"
#include "domain/image_record.hpp"
#include "domain/user_record.hpp"
#include "render/html.hpp"

namespace imghost::pages {

// `error`: a message to show above the form ("" for none); `username`: refilled (never
// the password); `csrf`: the pre-session token of the browser's form key
// (handlers/login_csrf.hpp).
std::string signup_form(const Site& site, const std::string& error, const std::string& username,
                        const std::string& csrf);
std::string login_form(const Site& site, const std::string& error, const std::string& username,
                       const std::string& csrf);

struct AccountView {
  const UserRecord& user;
  long long quota_bytes;
  std::string csrf;
};
// The account's bar at the top of its pages: who is logged in, bytes used of the quota,
// links to My images, My albums, API tokens, and the logout form.
std::string account_bar(const AccountView& a);

// "My images": a grid of tiles linking to /i/{id} (date, visibility, size), each with a
// checkbox of the one form (POST /account/images) whose buttons act on the selected
// images: delete (a confirmation first), make public or unlisted, add to `albums` (the
// account's open albums).
std::string my_images(const Site& site, const AccountView& a, const std::vector<ImageRecord>& items,
                      const std::vector<AlbumRecord>& albums, const std::optional<std::string>& next_cursor,
                      bool is_first_page);

// The tokens page; `created` right after a token was made: its secret in full (shown
// once) with a copy button, and the form that downloads imghost.sxcu for it
// (POST /account/tokens/sharex).
struct CreatedToken {
  std::string name;
  std::string secret;
  std::string site;  // "https://img.example", for the curl example
};
std::string tokens(const Site& site, const AccountView& a, const std::vector<TokenRecord>& rows,
                   const std::optional<CreatedToken>& created);

// "Revoke the token <name>?" (POST /account/tokens/{id}/revoke).
std::string revoke_token_confirm(const Site& site, const AccountView& a, const TokenRecord& token);

}  // namespace imghost::pages
