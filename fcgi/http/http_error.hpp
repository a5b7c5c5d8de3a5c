// The one error type of the request path: thrown where a problem is known, turned into
// a response (JSON for the API, an HTML page for the browser) in exactly one place,
// worker.cpp.  `code` is one of API.md's error codes.
#pragma once

#include <stdexcept>
#include <string>

namespace imghost::http {

class HttpError : public std::runtime_error {
 public:
  HttpError(int status, std::string code, const std::string& message)
      : std::runtime_error(message), status_(status), code_(std::move(code)) {}
  int status() const noexcept { return status_; }
  const std::string& code() const noexcept { return code_; }

 private:
  int status_;
  std::string code_;
};

inline HttpError bad_request(const std::string& m) { return {400, "bad_request", m}; }
inline HttpError forbidden(const std::string& m) { return {403, "forbidden", m}; }
inline HttpError not_found(const std::string& m) { return {404, "not_found", m}; }
inline HttpError method_not_allowed(const std::string& m) { return {405, "method_not_allowed", m}; }
inline HttpError too_large(const std::string& m) { return {413, "too_large", m}; }
inline HttpError unsupported_format(const std::string& m) { return {415, "unsupported_format", m}; }
inline HttpError invalid_image(const std::string& m) { return {422, "invalid_image", m}; }
inline HttpError unavailable(const std::string& m) { return {503, "unavailable", m}; }

}  // namespace imghost::http
