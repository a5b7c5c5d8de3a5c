#include "handlers/json_members.hpp"

#include <utility>

#include "domain/error.hpp"

namespace imghost::handlers {

std::optional<std::string> optional_string(const nlohmann::json& body, const char* key) {
  const auto it = body.find(key);
  if (it == body.end() || it->is_null()) return std::nullopt;
  if (!it->is_string()) throw errors::bad_request(i18n::msg("{} must be a string", key));
  return it->get<std::string>();
}

std::string required_string(const nlohmann::json& body, const char* key) {
  auto v = optional_string(body, key);
  if (!v) throw errors::bad_request(i18n::msg("{} is required", key));
  return std::move(*v);
}

}  // namespace imghost::handlers
