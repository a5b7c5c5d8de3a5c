#include "render/html.hpp"

#include <fmt/format.h>

namespace imghost::pages {

std::string escape(std::string_view s) {
  std::string out;
  out.reserve(s.size() + 16);
  for (const char c : s) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out.push_back(c);
    }
  }
  return out;
}

namespace {

constexpr std::string_view kStyle = R"css(
*{box-sizing:border-box}
body{font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;color:#1d2329;background:#f6f7f9}
header{background:#1d2329;padding:.8rem 1.5rem}
header a{color:#fff;text-decoration:none;margin-right:1.2rem}
header a.brand{font-weight:700}
main{max-width:60rem;margin:0 auto;padding:1.5rem}
h1{font-size:1.6rem;margin:.2rem 0 1rem}
.card{background:#fff;border:1px solid #dde1e6;border-radius:8px;padding:1.2rem;margin-bottom:1rem}
.result{display:flex;gap:1.2rem;flex-wrap:wrap}
.result img{max-width:320px;max-height:320px;border:1px solid #dde1e6;background:#eee}
.codes{flex:1;min-width:18rem}
label{display:block;font-weight:600;margin:.6rem 0 .2rem}
input[type=text],textarea{width:100%;font:14px ui-monospace,monospace;padding:.4rem;border:1px solid #c4c9d0;border-radius:4px}
textarea{min-height:4rem}
button,.button{display:inline-block;background:#2459d1;color:#fff;border:0;border-radius:4px;padding:.5rem 1rem;font-size:1rem;cursor:pointer;text-decoration:none}
button.danger{background:#c0392b}
.error{border-color:#e0a0a0;background:#fff5f5}
.grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(160px,1fr));gap:.8rem}
.grid a{display:block;background:#fff;border:1px solid #dde1e6;border-radius:6px;padding:.4rem;text-align:center}
.grid img{max-width:100%;height:140px;object-fit:contain}
.pager{margin-top:1rem;display:flex;gap:1rem}
small{color:#5b6570}
)css";

}  // namespace

std::string csrf_field(std::string_view token) {
  if (token.empty()) return {};
  return "<input type=\"hidden\" name=\"csrf\" value=\"" + escape(token) + "\">";
}

std::string layout(std::string_view title, std::string_view body) {
  return fmt::format(
      "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
      "<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">"
      "<title>{} · imghost</title><style>{}</style></head><body>"
      "<header><a class=\"brand\" href=\"/\">imghost</a><a href=\"/upload\">Upload</a>"
      "<a href=\"/images/\">Catalog</a></header><main>{}</main></body></html>\n",
      escape(title), kStyle, body);
}

}  // namespace imghost::pages
