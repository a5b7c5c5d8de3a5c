// The URLs of the site's static files (static/: style sheet, script, icon), each with a
// digest of its content in the name: /static/site.3f2a9c1d0b.css.  nginx serves any
// such name from static/site.css with a year of immutable caching, so a browser fetches
// a file again exactly when it changed (nginx/imghost-site.conf.in).
#pragma once

#include <filesystem>
#include <string>

namespace imghost {

struct StaticAssets {
  std::string stylesheet;  // "/static/site.<digest>.css"
  std::string script;      // "/static/site.<digest>.js"
  std::string icon;        // "/static/icon.<digest>.svg"

  // Reads the files under `dir` once.  Throws std::system_error naming a file that
  // cannot be read: a site without its style sheet is a broken install, not a default.
  static StaticAssets load(const std::filesystem::path& dir);
};

}  // namespace imghost
