// The one error type of imghost's flows and handlers: a code from the API's table of
// errors and a message fit for the client.  Thrown where the problem is known (a flow
// in core/, a handler, the request adapter); turned into a response by the worker's one
// catch (server/worker.cpp), which asks http/status.hpp for the HTTP status of the code.
// The account forms (handlers/account_pages.cpp) catch theirs to show the form again
// with the message, at the same status.
// So core/ decides *what* went wrong and never *how* HTTP says it.
#pragma once

#include <stdexcept>
#include <string>
#include <string_view>

namespace imghost {

// The API's error codes, one for each row of its error table.  A new code goes before
// `unavailable`, which stays last: metrics/metrics.hpp sizes its per-code slots by it.
enum class ErrorCode {
  bad_request,                    // malformed input, a bad parameter
  unauthorized,                   // needs an account, no valid session or token
  forbidden,                      // wrong or missing token or owner
  quota_exceeded,                 // the account's storage quota would be exceeded
  not_found,                      // no such image, album, page
  method_not_allowed,             // wrong method for the path
  album_full,                     // the album holds max_items already
  conflict,                       // a name that is taken, a closed album
  expired,                        // past its expires_at, not yet cleaned up
  too_large,                      // a file or body over its limit
  unsupported_format,             // not an accepted image format
  invalid_image,                  // looks like one but does not decode, or is over the pixel limits
  rate_limited,                   // too many requests from one client
  not_implemented,                // a format or feature asked for that the route does not offer (oEmbed's xml)
  unavailable_for_legal_reasons,  // taken down by the operator (its links answer 451)
  blocked,                        // an upload of content the operator has banned (451)
  unavailable,                    // PostgreSQL or the store is unavailable; nothing was half-written
};

// "bad_request", "not_found", ...: the `code` of the API's error JSON.
std::string_view code_name(ErrorCode code);

class Error : public std::runtime_error {
 public:
  Error(ErrorCode code, const std::string& message) : std::runtime_error(message), code_(code) {}
  ErrorCode code() const noexcept { return code_; }

 private:
  ErrorCode code_;
};

// Shorthands: `throw errors::not_found("no such image")`.
namespace errors {
inline Error bad_request(const std::string& m) { return {ErrorCode::bad_request, m}; }
inline Error unauthorized(const std::string& m) { return {ErrorCode::unauthorized, m}; }
inline Error forbidden(const std::string& m) { return {ErrorCode::forbidden, m}; }
inline Error not_found(const std::string& m) { return {ErrorCode::not_found, m}; }
inline Error method_not_allowed(const std::string& m) { return {ErrorCode::method_not_allowed, m}; }
inline Error quota_exceeded(const std::string& m) { return {ErrorCode::quota_exceeded, m}; }
inline Error album_full(const std::string& m) { return {ErrorCode::album_full, m}; }
inline Error conflict(const std::string& m) { return {ErrorCode::conflict, m}; }
inline Error expired(const std::string& m) { return {ErrorCode::expired, m}; }
inline Error too_large(const std::string& m) { return {ErrorCode::too_large, m}; }
inline Error unsupported_format(const std::string& m) { return {ErrorCode::unsupported_format, m}; }
inline Error invalid_image(const std::string& m) { return {ErrorCode::invalid_image, m}; }
inline Error not_implemented(const std::string& m) { return {ErrorCode::not_implemented, m}; }
inline Error taken_down(const std::string& m) { return {ErrorCode::unavailable_for_legal_reasons, m}; }
inline Error blocked(const std::string& m) { return {ErrorCode::blocked, m}; }
inline Error unavailable(const std::string& m) { return {ErrorCode::unavailable, m}; }
}  // namespace errors

}  // namespace imghost
