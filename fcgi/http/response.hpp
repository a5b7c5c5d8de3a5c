// A complete response, built by a handler and written once by the worker.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace imghost::http {

struct Response {
  int status = 200;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;

  Response& header(std::string name, std::string value) {
    headers.emplace_back(std::move(name), std::move(value));
    return *this;
  }
  // Replaces every header of that name (case-insensitive) with this one value.
  Response& set_header(std::string name, std::string value);
  // The value of a header (case-insensitive), or "" when absent.
  std::string_view header_value(std::string_view name) const;

  static Response json(int status, std::string body);
  static Response html(int status, std::string body);
};

}  // namespace imghost::http
