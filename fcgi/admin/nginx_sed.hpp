// config nginx-sed: the sed script that fills in nginx/imghost-site.conf.in's values
// that come from the configuration the workers read (scripts/stack and make install run
// it), so that nginx and the workers never disagree.
#pragma once

#include <cstdio>

#include "domain/config.hpp"

namespace imghost::admin {

// Writes to `out`: s|@UPLOAD_RATE@|60|g ... (limit_req's rates, bursts and Retry-After,
// the metrics listener), and the replacement of the template's @LANGUAGE_MAPS@ line by
// the nginx maps that answer nginx's own errors (413, 429, 503, a missing download) in
// the asker's language, from the compiled catalogs of `c.languages`.  Throws
// std::runtime_error when a configured language has no catalog, as the workers do.
void print_nginx_sed(const Config& c, std::FILE* out);

}  // namespace imghost::admin
