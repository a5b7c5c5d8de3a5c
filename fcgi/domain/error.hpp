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
#include <utility>

#include "domain/translate.hpp"

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

// what() is the message in English (stderr, tests); message() says it in any language:
// the person's in the answer, the log's in logs/app.log (domain/translate.hpp).
class Error : public std::runtime_error {
 public:
  Error(ErrorCode code, i18n::Message message)
      : std::runtime_error(message.in("en")), code_(code), message_(std::move(message)) {}
  ErrorCode code() const noexcept { return code_; }
  const i18n::Message& message() const noexcept { return message_; }

 private:
  ErrorCode code_;
  i18n::Message message_;
};

// Shorthands: `throw errors::not_found(i18n::msg("no such image"))`.
namespace errors {
inline Error bad_request(i18n::Message m) { return {ErrorCode::bad_request, std::move(m)}; }
inline Error unauthorized(i18n::Message m) { return {ErrorCode::unauthorized, std::move(m)}; }
inline Error forbidden(i18n::Message m) { return {ErrorCode::forbidden, std::move(m)}; }
inline Error not_found(i18n::Message m) { return {ErrorCode::not_found, std::move(m)}; }
inline Error method_not_allowed(i18n::Message m) { return {ErrorCode::method_not_allowed, std::move(m)}; }
inline Error quota_exceeded(i18n::Message m) { return {ErrorCode::quota_exceeded, std::move(m)}; }
inline Error album_full(i18n::Message m) { return {ErrorCode::album_full, std::move(m)}; }
inline Error conflict(i18n::Message m) { return {ErrorCode::conflict, std::move(m)}; }
inline Error expired(i18n::Message m) { return {ErrorCode::expired, std::move(m)}; }
inline Error too_large(i18n::Message m) { return {ErrorCode::too_large, std::move(m)}; }
inline Error unsupported_format(i18n::Message m) { return {ErrorCode::unsupported_format, std::move(m)}; }
inline Error invalid_image(i18n::Message m) { return {ErrorCode::invalid_image, std::move(m)}; }
inline Error not_implemented(i18n::Message m) { return {ErrorCode::not_implemented, std::move(m)}; }
inline Error taken_down(i18n::Message m) { return {ErrorCode::unavailable_for_legal_reasons, std::move(m)}; }
inline Error blocked(i18n::Message m) { return {ErrorCode::blocked, std::move(m)}; }
inline Error unavailable(i18n::Message m) { return {ErrorCode::unavailable, std::move(m)}; }
}  // namespace errors

}  // namespace imghost
