// HTTP status codes: the one table from imghost's error codes to statuses (as nginx
// maps errno values to statuses in one place), and their reason phrases.
#pragma once

#include "domain/error.hpp"

namespace imghost::http {

// The status that answers an error of this code: bad_request → 400, not_found → 404,
// album_full and conflict → 409, unavailable → 503, ...
int status_of(ErrorCode code);

// "200 OK", "404 Not Found", ... for the Status: line.  Unknown statuses are "500".
const char* status_text(int status);

}  // namespace imghost::http
