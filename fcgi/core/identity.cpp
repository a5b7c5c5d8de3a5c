#include "core/identity.hpp"

#include "core/accounts.hpp"
#include "domain/error.hpp"

namespace imghost {

Caller identify(App& app, std::optional<std::string_view> bearer, std::optional<std::string_view> session) {
  Caller c;
  if (bearer) {
    auto found = accounts::token_user(app, *bearer);
    if (!found) throw errors::unauthorized(i18n::msg("the API token is unknown, revoked or its account disabled"));
    c.via = Caller::Via::token;
    c.account = std::move(found->user);
    c.token_id = std::move(found->token_id);
    return c;
  }
  if (!session) return c;
  if (auto user = accounts::session_user(app, *session)) {
    c.via = Caller::Via::session;
    c.account = std::move(user);
    c.session_id = std::string(*session);
  }
  return c;
}

}  // namespace imghost
