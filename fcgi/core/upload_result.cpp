#include "core/upload_result.hpp"

#include "core/albums.hpp"
#include "core/catalog.hpp"
#include "core/image_removal.hpp"
#include "domain/error.hpp"

namespace imghost {

UploadResult upload_result(App& app, const std::vector<std::string>& ids,
                           const std::map<std::string, std::string>& tokens) {
  UploadResult out;
  bool any_expired = false;
  for (const auto& id : ids) {
    auto rec = catalog::find(app, id);
    if (!rec) continue;
    // Past its time an image is gone for everyone, as on /i/{id} and in the API, though
    // the cleanup may not have removed it yet (an expired album's images carry its time).
    if (rec->expired) {
      any_expired = true;
      continue;
    }
    std::string token;
    if (const auto t = tokens.find(id); t != tokens.end()) {
      try {
        image_removal::check_authority(app, id, {t->second});  // a stale or forged cookie shows nothing
        token = t->second;
      } catch (const Error&) {}
    }
    out.images.push_back(std::move(*rec));
    out.delete_tokens.push_back(std::move(token));
  }
  if (out.images.empty() && any_expired) throw errors::expired(i18n::msg("the images of this upload have expired"));
  if (out.images.empty()) throw errors::not_found(i18n::msg("the images of this upload have been deleted"));
  return out;
}

std::optional<ResultAlbum> result_album(App& app, const UploadResult& result, const std::string& album_id,
                                        const std::string& manage_token) {
  auto album = catalog::album_of_image(app, result.images.front().seq);
  if (!album) return std::nullopt;
  ResultAlbum out{std::move(*album), "", false};
  if (!album_id.empty() && album_id == out.album.id) {
    try {
      albums::check_manager(out.album, manage_token, nullptr);
      out.manage_token = manage_token;
    } catch (const Error&) {
      // a stale or forged cookie shows nothing
    }
  }
  out.holds_a_token = !out.manage_token.empty();
  for (std::size_t i = 0; i < result.images.size() && !out.holds_a_token; ++i) {
    if (result.delete_tokens[i].empty()) continue;
    const auto its = catalog::album_of_image(app, result.images[i].seq);
    out.holds_a_token = its && its->seq == out.album.seq;
  }
  return out;
}

}  // namespace imghost
