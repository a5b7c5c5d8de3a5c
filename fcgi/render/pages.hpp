// The HTML pages.  Each returns a complete document; all variable text is escaped.
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/config.hpp"
#include "core/ingest.hpp"
#include "db/images_repo.hpp"

namespace imghost::pages {

std::string home(const Config& c);
std::string upload_form(const Config& c);
// `base` prefixes the links and embed codes: the configured public base URL
// ("https://img.example"), or "" for links relative to this site.  Never taken from
// the request's Host header, which the client chooses.
std::string upload_result(const std::vector<Stored>& stored, const std::string& base);
std::string error_page(int status, const std::string& message);
// The catalog page; `next_cursor` links to the following (older) page.
std::string catalog(const std::vector<db::ImageRecord>& items, const std::optional<std::string>& next_cursor,
                    bool is_first_page);
// `csrf`: the session's CSRF token when a logged-in browser asks, else "".
std::string delete_confirm(const db::ImageRecord& r, const std::string& token, const std::string& csrf);
std::string deleted(const std::string& name);

}  // namespace imghost::pages
