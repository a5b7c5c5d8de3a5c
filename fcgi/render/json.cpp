#include "render/json.hpp"

#include <fmt/format.h>

#include <cmath>

#include "base/text.hpp"
#include "domain/image_format.hpp"

namespace imghost::views {
namespace {

// A JSON string, as dump() writes it: UTF-8 kept as it is, '"', '\\' and control
// characters escaped.  Text that is not valid UTF-8 (which should never get this far)
// goes through dump() itself, which replaces it with U+FFFD.
void put_string(std::string& out, std::string_view s) {
  static constexpr char kHex[] = "0123456789abcdef";
  const std::size_t start = out.size();
  out += '"';
  // Most text needs no escape: copy it a run at a time, not a character at a time.  The
  // UTF-8 is checked in the same pass, only where a byte is not ASCII (checking every
  // string whole first took 7% of a catalog page's worker time).
  std::size_t plain = 0;  // where the run not yet copied starts
  for (std::size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c >= 0x80) {
      const std::size_t n = text::utf8_sequence(s, i);
      if (n == 0) {
        out.resize(start);
        out += dump(nlohmann::json(std::string(s)));
        return;
      }
      i += n - 1;  // a whole sequence, copied with its run
      continue;
    }
    if (c >= 0x20 && c != '"' && c != '\\') continue;
    out.append(s.substr(plain, i - plain));
    plain = i + 1;
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        out += "\\u00";
        out += kHex[c >> 4];
        out += kHex[c & 15];
    }
  }
  out.append(s.substr(plain));
  out += '"';
}

void put_field(std::string& out, std::string_view key, std::string_view value) {
  out += '"';
  out += key;  // our own keys: nothing to escape
  out += "\":";
  put_string(out, value);
  out += ',';
}

void put_number(std::string& out, std::string_view key, long long value) {
  out += '"';
  out += key;
  out += "\":";
  out += std::to_string(value);
  out += ',';
}

}  // namespace

std::string image_url(const std::string& base, const std::string& name) { return base + "/images/" + name; }
std::string thumb_url(const std::string& base, const std::string& name) { return base + "/images/thumbs/" + name; }
std::string delete_url(const std::string& base, const std::string& id, const std::string& token) {
  return base + "/delete/" + id + "?token=" + token;  // both are base32: nothing to escape
}

// A video's duration in the JSON: seconds, to the millisecond.
double duration_value(double seconds) { return std::round(seconds * 1000) / 1000; }

nlohmann::json image_json(const ImageRecord& r, const std::string& base) {
  const auto fmt = image::parse_format(r.format);
  nlohmann::json j = {
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
      {"expires_at", r.expires_at ? nlohmann::json(*r.expires_at) : nlohmann::json(nullptr)},
      {"kind", r.kind},
  };
  if (r.duration) {
    j["duration"] = duration_value(*r.duration);
    j["video_codec"] = r.video_codec.value_or("");
    j["audio_codec"] = r.audio_codec ? nlohmann::json(*r.audio_codec) : nlohmann::json(nullptr);
  }
  return j;
}

nlohmann::json album_json(const AlbumRecord& a, const std::string& base) {
  const auto or_null = [](const auto& v) { return v ? nlohmann::json(*v) : nlohmann::json(nullptr); };
  // "expired" is computed, "deleting" never shown (such an album answers 404).
  return {
      {"id", a.id},
      {"url", album_url(base, a.id)},
      {"title", or_null(a.title)},
      {"description", or_null(a.description)},
      {"visibility", std::string(name(a.visibility))},
      {"owner", or_null(a.owner)},
      {"status", a.expired ? std::string("expired") : a.status},
      {"item_count", a.item_count},
      {"max_items", or_null(a.max_items)},
      {"cover", or_null(a.cover_id)},
      {"expires_at", or_null(a.expires_at)},
      {"created_at", a.created_at},
  };
}

std::string album_url(const std::string& base, const std::string& id) { return base + "/a/" + id; }

nlohmann::json user_json(const UserRecord& u, long long quota_bytes) {
  return {{"username", u.username},
          {"admin", u.is_admin},
          {"used_bytes", u.used_bytes},
          {"quota_bytes", quota_bytes},
          {"created_at", u.created_at}};
}

nlohmann::json token_json(const TokenRecord& t) {
  return {{"id", t.id},
          {"name", t.name},
          {"created_at", t.created_at},
          {"last_used_at", t.last_used_at ? nlohmann::json(*t.last_used_at) : nlohmann::json(nullptr)}};
}

nlohmann::json uploaded_json(const ImageRecord& r, const std::string& token, const std::string& base) {
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

std::string image_list_json(const std::vector<ImageRecord>& items, const std::optional<std::string>& next_cursor,
                            const std::string& base) {
  std::string out;
  out.reserve(64 + items.size() * 512);
  out += "{\"items\":[";
  for (std::size_t i = 0; i < items.size(); ++i) {
    const ImageRecord& r = items[i];
    const auto fmt = image::parse_format(r.format);
    if (i > 0) out += ',';
    out += '{';
    put_field(out, "id", r.id);
    put_field(out, "url", image_url(base, r.name));
    put_field(out, "thumbnail_url", thumb_url(base, r.name));
    put_field(out, "filename", r.name);
    put_field(out, "original_filename", r.original_filename);
    put_number(out, "size", r.size);
    put_field(out, "format", r.format);
    put_field(out, "content_type", fmt ? image::content_type(*fmt) : "application/octet-stream");
    put_number(out, "width", r.width);
    put_number(out, "height", r.height);
    put_field(out, "sha256", r.sha256);
    put_field(out, "kind", r.kind);
    if (r.duration) {
      out += fmt::format("\"duration\":{},", nlohmann::json(duration_value(*r.duration)).dump());
      put_field(out, "video_codec", r.video_codec.value_or(""));
      if (r.audio_codec)
        put_field(out, "audio_codec", *r.audio_codec);
      else
        out += "\"audio_codec\":null,";
    }
    if (r.description)
      put_field(out, "description", *r.description);
    else
      out += "\"description\":null,";
    put_field(out, "created_at", r.created_at);
    put_field(out, "visibility", name(r.visibility));
    if (r.owner)
      put_field(out, "owner", *r.owner);
    else
      out += "\"owner\":null,";
    if (r.expires_at)
      put_field(out, "expires_at", *r.expires_at);
    else
      out += "\"expires_at\":null,";
    out.back() = '}';  // the last field's comma
  }
  out += "],\"next_cursor\":";
  if (next_cursor)
    put_string(out, *next_cursor);
  else
    out += "null";
  out += '}';
  return out;
}

std::string error_json(const std::string& code, const std::string& message) {
  return dump({{"error", {{"code", code}, {"message", message}}}});
}

std::string dump(const nlohmann::json& j) { return j.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace); }

}  // namespace imghost::views
