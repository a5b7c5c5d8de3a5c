// The URLs of the site's static files (static/: style sheet, script, icon), each with a
// digest of its content in the name: /static/site.3f2a9c1d0b.css.  nginx serves any
// such name from static/site.css with a year of immutable caching, so a browser fetches
// a file again exactly when it changed (nginx/imghost-site.conf.in).
#pragma once

#include <filesystem>
#include <string>

namespace imghost {

struct StaticAssets {
  std::string stylesheet = "/static/site.css";  // "/static/site.<digest>.css" once loaded
  std::string script = "/static/site.js";       // "/static/site.<digest>.js"
  std::string icon = "/static/icon.svg";        // "/static/icon.<digest>.svg"
  // Why a file could not be read ("" when all were): its URL then stays the plain name,
  // which nginx serves too (revalidated each time instead of cached for a year).  A
  // server upgraded with an older imghost.conf that names no static_dir keeps working.
  std::string problem;

  // Reads the files under `dir` once.  Never throws.
  static StaticAssets load(const std::filesystem::path& dir);
};

}  // namespace imghost
