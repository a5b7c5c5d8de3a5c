// Who is asking, as far as what the request presented proves it: an API token's secret
// (from `Authorization: Bearer`), or the value of the session cookie.  No HTTP here:
// handlers/auth.cpp reads the header and the cookie and calls identify().
#pragma once

#include <optional>
#include <string>
#include <string_view>

#include "core/app.hpp"
#include "domain/user_record.hpp"

namespace imghost {

struct Caller {
  enum class Via { anonymous, session, token };
  Via via = Via::anonymous;
  std::optional<UserRecord> account;
  std::string session_id;  // the cookie's value when via == session
  std::string token_id;    // the token's public id when via == token

  const UserRecord* user() const { return account ? &*account : nullptr; }
};

// The caller behind `bearer` (a token's secret, when one was sent) or else `session`
// (the session cookie's value, when sent).  A token that is not a live token of an
// enabled account throws unauthorized (a revoked token never silently becomes an
// anonymous upload); a session that is not live is ignored (anonymous).
Caller identify(App& app, std::optional<std::string_view> bearer, std::optional<std::string_view> session);

}  // namespace imghost
