#include "render/json.hpp"

#include "image/format.hpp"

namespace imghost::views {

std::string image_url(const std::string& base, const std::string& name) { return base + "/images/" + name; }
std::string thumb_url(const std::string& base, const std::string& name) { return base + "/images/thumbs/" + name; }
std::string delete_url(const std::string& base, const std::string& id, const std::string& token) {
  return base + "/delete/" + id + "?token=" + token;  // both are base32: nothing to escape
}

nlohmann::json image_json(const db::ImageRecord& r, const std::string& base) {
  const auto fmt = image::parse_format(r.format);
  return {
      {"id", r.id},
      {"url", image_url(base, r.name)},
      {"thumbnail_url", thumb_url(base, r.name)},
      {"filename", r.name},
      {"original_filename", r.original_filename},
      {"size", r.size},
      {"format", r.format},
      {"content_type", fmt ? std::string(image::content_type(*fmt)) : "application/octet-stream"},
      {"width", r.width},
      {"height", r.height},
      {"sha256", r.sha256},
      {"description", r.description ? nlohmann::json(*r.description) : nlohmann::json(nullptr)},
      {"created_at", r.created_at},
      {"visibility", std::string(name(r.visibility))},
  };
}

nlohmann::json uploaded_json(const db::ImageRecord& r, const std::string& token, const std::string& base) {
  auto j = image_json(r, base);
  j["delete_token"] = token;
  j["delete_url"] = delete_url(base, r.id, token);
  return j;
}

std::string error_json(const std::string& code, const std::string& message) {
  return dump({{"error", {{"code", code}, {"message", message}}}});
}

std::string dump(const nlohmann::json& j) { return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace); }

}  // namespace imghost::views
