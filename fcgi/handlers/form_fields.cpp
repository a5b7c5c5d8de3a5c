// What the browser's plain forms send, read the way they send it (handlers.hpp).
#include "base/text.hpp"
#include "handlers/handlers.hpp"

namespace imghost::handlers {

std::vector<std::string> form_values(std::string_view body, std::string_view name) {
  std::vector<std::string> out;
  while (!body.empty()) {
    const auto amp = body.find('&');
    const auto pair = body.substr(0, amp);
    body = amp == std::string_view::npos ? std::string_view{} : body.substr(amp + 1);
    const auto eq = pair.find('=');
    if (eq == std::string_view::npos || pair.substr(0, eq) != name) continue;
    std::string v;
    if (text::url_decode(pair.substr(eq + 1), v) && !v.empty()) out.push_back(std::move(v));
  }
  return out;
}

std::string typed_text(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i)
    if (!(s[i] == '\r' && i + 1 < s.size() && s[i + 1] == '\n')) out.push_back(s[i]);
  return out;
}

}  // namespace imghost::handlers
