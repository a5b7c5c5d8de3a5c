// The browser's account pages: signup, login, "My images" and the API tokens page.
// Each returns a complete document; all variable text is escaped; every form that
// changes something carries the session's CSRF token (`csrf`, "" when anonymous).
#pragma once

#include <optional>
#include <string>
#include <vector>

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
std::string my_images(const Site& site, const AccountView& a, const std::vector<ImageRecord>& items,
                      const std::optional<std::string>& next_cursor, bool is_first_page);

// The tokens page; `created` (the secret, shown once) and `sharex` (its .sxcu text)
// right after a token was made.
struct CreatedToken {
  std::string name;
  std::string secret;
  std::string sharex;
  std::string site;  // "https://img.example", for the curl example
};
std::string tokens(const Site& site, const AccountView& a, const std::vector<TokenRecord>& rows,
                   const std::optional<CreatedToken>& created);

}  // namespace imghost::pages
