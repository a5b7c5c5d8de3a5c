// Members of a JSON request body, read the same way by every API handler: absent or
// null is "not given"; a member of the wrong type is 400 bad_request naming it.
#pragma once

#include <nlohmann/json.hpp>

#include <optional>
#include <string>

namespace imghost::handlers {

// A string member, or nullopt when absent or null.
std::optional<std::string> optional_string(const nlohmann::json& body, const char* key);

// A string member that must be there ("{key} is required" otherwise).
std::string required_string(const nlohmann::json& body, const char* key);

}  // namespace imghost::handlers
