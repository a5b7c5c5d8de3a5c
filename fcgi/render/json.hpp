// The JSON shapes of the API (docs/openapi.yaml), built in one place.
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>
#include <vector>

#include "domain/album_record.hpp"
#include "domain/image_record.hpp"
#include "domain/user_record.hpp"

namespace imghost::views {

// The image object.  `base` is "" (relative URLs) or the public base URL.
nlohmann::json image_json(const ImageRecord& r, const std::string& base);
// The upload answer adds the delete token and link, shown once.
nlohmann::json uploaded_json(const ImageRecord& r, const std::string& token, const std::string& base);
// The album object: id, url (/a/{id}), title, description, visibility, owner, status
// ("open", "closed", "expired"), item_count, max_items, cover (an image id), expires_at,
// created_at.
nlohmann::json album_json(const AlbumRecord& a, const std::string& base);
std::string album_url(const std::string& base, const std::string& id);
// The account object: username, admin, used_bytes, quota_bytes, created_at.
nlohmann::json user_json(const UserRecord& u, long long quota_bytes);
// An API token as listed (never its secret): id, name, created_at, last_used_at.
nlohmann::json token_json(const TokenRecord& t);
// A ShareX custom uploader (.sxcu) for the site at `site` ("https://img.example") and
// this API token: multipart field `file`, the links and the error message from our JSON.
// `links_relative`: the answers' links are relative (no public base URL), so the file
// puts `site` before them.
nlohmann::json sharex_json(const std::string& site, const std::string& token, bool links_relative);
// The list page, {"items": [image objects], "next_cursor": string or null}, written
// straight into a string: the same document as dump() of image_json() objects (keys in
// another order), without a tree of maps to build, copy and free per image (that was
// half of a worker's user time on the catalog's first page, measured with perf).
std::string image_list_json(const std::vector<ImageRecord>& items, const std::optional<std::string>& next_cursor,
                            const std::string& base);
std::string error_json(const std::string& code, const std::string& message);
// Serializes; invalid UTF-8 (which should never get this far) becomes U+FFFD, never a throw.
std::string dump(const nlohmann::json& j);

std::string image_url(const std::string& base, const std::string& name);
std::string thumb_url(const std::string& base, const std::string& name);
std::string delete_url(const std::string& base, const std::string& id, const std::string& token);

}  // namespace imghost::views
