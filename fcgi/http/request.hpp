// What a handler sees of a request.  fcgi_request.cpp implements it over libfcgi;
// tests implement it over plain strings.  Not thread-safe; one per request.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace imghost::http {

class Request {
 public:
  virtual ~Request() = default;

  virtual std::string_view method() const = 0;  // "GET", "POST", ...
  virtual std::string_view path() const = 0;    // decoded path, no query ("/api/v1/images")
  virtual std::string_view query() const = 0;   // raw query string, no '?'
  // A request header by its HTTP name, case-insensitive ("Accept", "Content-Type");
  // empty when absent.
  virtual std::string_view header(std::string_view name) const = 0;

  // The whole body.  Throws HttpError 413 before reading anything when the declared
  // length is over `max_bytes`, 400 when the body is shorter than declared.
  virtual std::string read_body(std::size_t max_bytes) = 0;
};

}  // namespace imghost::http
