// The words of static/site.js in the page's language.  The script is one static file for
// every language (nginx serves it, cached for a year), so the page carries its words: a
// JSON object from each English text the script says to its translation, in the
// `data-messages` attribute of <body>.  The script falls back to the English text for
// any key it does not find (and on English pages, which carry none).
#pragma once

#include <string>

namespace imghost::pages {

// The JSON object for the current language (domain/translate.hpp); "" in English.
std::string script_messages();

}  // namespace imghost::pages
