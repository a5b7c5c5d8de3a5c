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
      {"owner", r.owner ? nlohmann::json(*r.owner) : nlohmann::json(nullptr)},
  };
}

nlohmann::json user_json(const db::UserRow& u, long long quota_bytes) {
  return {{"username", u.username},
          {"admin", u.is_admin},
          {"used_bytes", u.used_bytes},
          {"quota_bytes", quota_bytes},
          {"created_at", u.created_at}};
}

nlohmann::json token_json(const db::TokenRow& t) {
  return {{"id", t.id},
          {"name", t.name},
          {"created_at", t.created_at},
          {"last_used_at", t.last_used_at ? nlohmann::json(*t.last_used_at) : nlohmann::json(nullptr)}};
}

nlohmann::json uploaded_json(const db::ImageRecord& r, const std::string& token, const std::string& base) {
  auto j = image_json(r, base);
  j["delete_token"] = token;
  j["delete_url"] = delete_url(base, r.id, token);
  return j;
}

nlohmann::json sharex_json(const std::string& site, const std::string& token, bool links_relative) {
  // {json:...} are ShareX's own syntax: it fills them in from our answer, and keeps
  // text around them.  delete_url is the delete link (GET shows a confirmation, POST or
  // DELETE deletes).
  const std::string prefix = links_relative ? site : "";
  return {{"Version", "15.0.0"},
          {"Name", "imghost (" + site + ")"},
          {"DestinationType", "ImageUploader, FileUploader"},
          {"RequestMethod", "POST"},
          {"RequestURL", site + "/api/v1/images"},
          {"Headers", {{"Authorization", "Bearer " + token}}},
          {"Body", "MultipartFormData"},
          {"FileFormName", "file"},
          {"URL", prefix + "{json:url}"},
          {"ThumbnailURL", prefix + "{json:thumbnail_url}"},
          {"DeletionURL", prefix + "{json:delete_url}"},
          {"ErrorMessage", "{json:error.message}"}};
}

std::string error_json(const std::string& code, const std::string& message) {
  return dump({{"error", {{"code", code}, {"message", message}}}});
}

std::string dump(const nlohmann::json& j) { return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace); }

}  // namespace imghost::views
