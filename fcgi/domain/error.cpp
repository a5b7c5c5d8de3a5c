#include "domain/error.hpp"

namespace imghost {

std::string_view code_name(ErrorCode code) {
  switch (code) {
    case ErrorCode::bad_request: return "bad_request";
    case ErrorCode::unauthorized: return "unauthorized";
    case ErrorCode::forbidden: return "forbidden";
    case ErrorCode::quota_exceeded: return "quota_exceeded";
    case ErrorCode::not_found: return "not_found";
    case ErrorCode::method_not_allowed: return "method_not_allowed";
    case ErrorCode::album_full: return "album_full";
    case ErrorCode::conflict: return "conflict";
    case ErrorCode::expired: return "expired";
    case ErrorCode::too_large: return "too_large";
    case ErrorCode::unsupported_format: return "unsupported_format";
    case ErrorCode::invalid_image: return "invalid_image";
    case ErrorCode::rate_limited: return "rate_limited";
    case ErrorCode::not_implemented: return "not_implemented";
    case ErrorCode::unavailable_for_legal_reasons: return "unavailable_for_legal_reasons";
    case ErrorCode::blocked: return "blocked";
    case ErrorCode::unavailable: return "unavailable";
  }
  return "internal";
}

}  // namespace imghost
