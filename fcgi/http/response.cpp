#include "http/response.hpp"

#include <algorithm>
#include <cctype>

namespace imghost::http {
namespace {

bool same_name(std::string_view a, std::string_view b) {
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
           return std::tolower(static_cast<unsigned char>(x)) == std::tolower(static_cast<unsigned char>(y));
         });
}

}  // namespace

Response& Response::set_header(std::string name, std::string value) {
  std::erase_if(headers, [&](const auto& h) { return same_name(h.first, name); });
  return header(std::move(name), std::move(value));
}

std::string_view Response::header_value(std::string_view name) const {
  for (const auto& [k, v] : headers)
    if (same_name(k, name)) return v;
  return {};
}

Response Response::json(int status, std::string body) {
  Response r;
  r.status = status;
  r.header("Content-Type", "application/json");
  r.header("Cache-Control", "no-store");
  r.body = std::move(body);
  r.body += '\n';
  return r;
}

Response Response::html(int status, std::string body) {
  Response r;
  r.status = status;
  r.header("Content-Type", "text/html; charset=utf-8");
  r.header("Cache-Control", "no-store");
  // Delete links carry their token in the query string: a page must never hand its
  // URL to another site (or to the access log of a thumbnail request) as a Referer.
  r.header("Referrer-Policy", "no-referrer");
  r.header("X-Content-Type-Options", "nosniff");
  r.body = std::move(body);
  return r;
}

}  // namespace imghost::http
