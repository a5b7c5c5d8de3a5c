// The pages of moderation that anyone sees: the "Report" link of an image's and an
// album's page, and the report form it leads to (/report/{id}).  The admin's pages are
// admin_pages.hpp.
#pragma once

#include <string>

#include "domain/moderation_records.hpp"
#include "render/html.hpp"

namespace imghost::pages {

// The link under an image's or album's page.
std::string report_link(const std::string& target_id);

// The form: the reason (the contract's five) and optional details.  `csrf`: the
// session's token when a logged-in browser asks, else "".  `error`: a refusal to show
// above the form ("" for none).
std::string report_form(const Site& site, const std::string& target_id, TargetKind kind, const std::string& csrf,
                        const std::string& error = "");
// What the form shows once the report is in.
std::string report_sent(const Site& site, const std::string& target_id, TargetKind kind);

}  // namespace imghost::pages
