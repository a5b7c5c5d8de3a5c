#include "http/status.hpp"

namespace imghost::http {

int status_of(ErrorCode code) {
  switch (code) {
    case ErrorCode::bad_request: return 400;
    case ErrorCode::unauthorized: return 401;
    case ErrorCode::forbidden: return 403;
    case ErrorCode::quota_exceeded: return 403;
    case ErrorCode::not_found: return 404;
    case ErrorCode::method_not_allowed: return 405;
    case ErrorCode::album_full: return 409;
    case ErrorCode::conflict: return 409;
    case ErrorCode::expired: return 410;
    case ErrorCode::too_large: return 413;
    case ErrorCode::unsupported_format: return 415;
    case ErrorCode::invalid_image: return 422;
    case ErrorCode::rate_limited: return 429;
    case ErrorCode::not_implemented: return 501;
    case ErrorCode::unavailable_for_legal_reasons: return 451;
    case ErrorCode::blocked: return 451;
    case ErrorCode::unavailable: return 503;
  }
  return 500;
}

const char* status_text(int status) {
  switch (status) {
    case 200: return "200 OK";
    case 201: return "201 Created";
    case 204: return "204 No Content";
    case 301: return "301 Moved Permanently";
    case 302: return "302 Found";
    case 303: return "303 See Other";
    case 304: return "304 Not Modified";
    case 400: return "400 Bad Request";
    case 401: return "401 Unauthorized";
    case 403: return "403 Forbidden";
    case 404: return "404 Not Found";
    case 405: return "405 Method Not Allowed";
    case 409: return "409 Conflict";
    case 410: return "410 Gone";
    case 412: return "412 Precondition Failed";
    case 413: return "413 Payload Too Large";
    case 415: return "415 Unsupported Media Type";
    case 422: return "422 Unprocessable Entity";
    case 429: return "429 Too Many Requests";
    case 451: return "451 Unavailable For Legal Reasons";
    case 460: return "460 Checksum Mismatch";
    case 501: return "501 Not Implemented";
    case 503: return "503 Service Unavailable";
    default: return "500 Internal Server Error";
  }
}

}  // namespace imghost::http
