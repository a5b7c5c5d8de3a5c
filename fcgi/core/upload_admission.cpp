#include "core/upload_admission.hpp"

#include "core/albums.hpp"
#include "domain/error.hpp"
#include "domain/free_text.hpp"

namespace imghost {

std::optional<AlbumRecord> admit_upload(App& app, const UserRecord* account, const std::string& album_id,
                                        const std::string& header_token) {
  if (!account && !app.config().anonymous_uploads)
    throw errors::unauthorized(
        i18n::msg("uploads need an account here: log in or send 'Authorization: Bearer <token>'"));
  if (album_id.empty()) return std::nullopt;
  auto album = albums::find_live(app, album_id);
  if (!header_token.empty() || album.owner_id) albums::check_manager(album, header_token, account);
  albums::check_accepts_uploads(album);
  return album;
}

Destination place_upload(App& app, const UserRecord* account, PlacementRequest request) {
  Destination out;
  Placement& placement = out.placement;
  auto& album = request.album;
  if (request.expires_in) placement.expires_in = albums::checked_expires_in(app.config(), *request.expires_in);
  if (request.new_album) {
    if (album || !request.album_field.empty())
      throw errors::bad_request(i18n::msg("new_album and album exclude each other: upload into one album"));
    albums::AlbumRequest a;
    a.title = checked_free_text(request.album_title.value_or(""), "album_title", kMaxTitleChars);
    a.visibility = request.visibility;
    a.expires_in = placement.expires_in;
    auto prepared = albums::prepare(a, account ? std::optional<long long>(account->id) : std::nullopt);
    out.made = MadeAlbum{prepared.row.id, prepared.manage_token};
    placement.new_album = std::move(prepared.row);
  }
  if (!album && !request.album_field.empty()) {
    album = albums::find_live(app, request.album_field);
    albums::check_manager(*album, request.header_token.empty() ? request.field_token : request.header_token, account);
    albums::check_accepts_uploads(*album);
  } else if (album && !album->owner_id && request.header_token.empty()) {
    albums::check_manager(*album, request.field_token, account);
  }
  if (album) placement.album_seq = album->seq;
  return out;
}

}  // namespace imghost
