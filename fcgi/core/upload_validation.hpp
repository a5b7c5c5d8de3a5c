// The check of one uploaded file, before anything is stored: decoded within the image
// limits, metadata stripped when configured (pixels are never touched), never a PNG
// decompression bomb, its thumbnail made.  What passes is a Candidate for ingest().
#pragma once

#include <string>

#include "core/app.hpp"
#include "core/incoming_file.hpp"
#include "core/ingest.hpp"

namespace imghost {

// Validates one received file and makes it a Candidate: decoded, metadata stripped,
// thumbnail made; it takes the file's staged bytes when they are what is stored.
// `filename` is the cleaned name kept with the image, `shown` the name its messages
// give.  Throws the error the client gets for it: unsupported_format, invalid_image,
// unavailable (the server ran short of memory, map or disk).  A thumbnail that cannot
// be made is logged and made on demand later.
Candidate candidate_of(App& app, IncomingFile& file, const std::string& filename, const std::string& shown);

}  // namespace imghost
