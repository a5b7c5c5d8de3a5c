// What a handler sees of a request.  fcgi_request.cpp implements it over libfcgi;
// tests implement it over plain strings.  Not thread-safe; one per request.
#pragma once

#include <cstddef>
#include <functional>
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

  // The body in pieces as it arrives (at most kBodyPiece bytes each, never empty), each
  // passed to `sink` in order; the views are valid only during the call.  Throws the
  // 413 error (errors::too_large) before reading anything when the declared length is
  // over `max_bytes`, 400 (errors::bad_request) when the body is shorter than declared;
  // whatever `sink` throws goes through.
  virtual void read_body_pieces(std::size_t max_bytes, const std::function<void(std::string_view)>& sink) = 0;
  static constexpr std::size_t kBodyPiece = 64u << 10;

  // The whole body, with the same checks (read_body_pieces appended).
  virtual std::string read_body(std::size_t max_bytes) {
    std::string body;
    read_body_pieces(max_bytes, [&](std::string_view piece) { body.append(piece); });
    return body;
  }
};

}  // namespace imghost::http
