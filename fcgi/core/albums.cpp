#include "core/albums.hpp"

#include <fmt/format.h>

#include <charconv>
#include <unordered_map>
#include <unordered_set>

#include "base/crypto.hpp"
#include "core/moderation.hpp"
#include "db/albums_repo.hpp"
#include "db/images_repo.hpp"
#include "db/pg.hpp"
#include "domain/error.hpp"
#include "domain/naming.hpp"

namespace imghost::albums {

void check_may_create(const Config& config, const UserRecord* account) {
  if (!account && !config.anonymous_uploads)
    throw errors::unauthorized(
        i18n::msg("albums need an account here: log in or send 'Authorization: Bearer <token>'"));
}

Prepared prepare(const AlbumRequest& request, std::optional<long long> owner_id) {
  Prepared out;
  NewAlbum& n = out.row;
  n.id = naming::new_image_id();  // the same shape as an image id: 100 random bits
  n.title = request.title;
  n.description = request.description;
  n.visibility = request.visibility;
  n.max_items = request.max_items;
  n.expires_in = request.expires_in;
  if (owner_id) {
    n.owner_id = owner_id;
  } else {
    out.manage_token = naming::new_delete_token();
    n.manage_token_hash = crypto::sha256(out.manage_token);
  }
  return out;
}

Created create(App& app, const AlbumRequest& request, const UserRecord* owner) {
  Created out;
  auto prepared = prepare(request, owner ? std::optional<long long>(owner->id) : std::nullopt);
  out.manage_token = std::move(prepared.manage_token);
  out.album = db::AlbumsRepo(app.db()).insert(prepared.row);
  if (owner)
    app.log().success(i18n::msg("album {} created by {}.", out.album.id, owner->username));
  else
    app.log().success(i18n::msg("album {} created.", out.album.id));
  return out;
}

AlbumRecord find_live(App& app, const std::string& id) {
  if (!naming::is_image_id(id)) throw errors::not_found(i18n::msg("no such album"));
  auto album = db::AlbumsRepo(app.db()).find(id);
  if (!album && moderation::tombstone_of(app, id))
    throw errors::taken_down(i18n::msg("this album has been taken down by the operator"));
  if (!album || album->status == "deleting") throw errors::not_found(i18n::msg("no such album"));
  if (album->expired) throw errors::expired(i18n::msg("this album has expired"));
  return *album;
}

AlbumRecord find_managed(App& app, const std::string& id, const std::string& token, const UserRecord* account) {
  auto album = find_live(app, id);
  check_manager(album, token, account);
  return album;
}

AlbumRecord find_to_remove(App& app, const std::string& id, const std::string& token, const UserRecord* account) {
  if (!naming::is_image_id(id)) throw errors::not_found(i18n::msg("no such album"));
  auto album = db::AlbumsRepo(app.db()).find(id);
  if (!album || album->status == "deleting") throw errors::not_found(i18n::msg("no such album"));
  check_manager(*album, token, account);
  return *album;
}

std::vector<AlbumRecord> list_public(App& app, std::optional<long long> before, int limit) {
  return db::AlbumsRepo(app.db()).list_public(before, limit);
}

std::vector<AlbumRecord> list_owned(App& app, long long owner_id, std::optional<long long> before, int limit) {
  return db::AlbumsRepo(app.db()).list_owned(owner_id, before, limit);
}

AlbumRecord edit(App& app, const AlbumRecord& album, const AlbumEdit& e, std::string_view by) {
  auto& conn = app.db();
  db::AlbumsRepo repo(conn);
  {
    db::Transaction tx(conn);
    const auto gate = repo.lock_row(album.seq);
    if (!gate || gate->status == "deleting") throw errors::not_found(i18n::msg("no such album"));
    if (gate->expired) throw errors::expired(i18n::msg("this album has expired"));
    db::AlbumsRepo::Changes changes;
    changes.title = e.title;
    changes.description = e.description;
    changes.close = e.close;
    if (e.cover || e.order) {
      const auto items = repo.live_items(album.seq);  // (seq, id) in order
      std::unordered_map<std::string, long long> seq_of;
      for (const auto& [seq, id] : items) seq_of.emplace(id, seq);
      if (e.cover && !*e.cover) {
        changes.cover_seq.emplace();  // no cover
      } else if (e.cover) {
        const auto it = seq_of.find(**e.cover);
        if (it == seq_of.end())
          throw errors::bad_request(i18n::msg("cover {} is not an image of this album", **e.cover));
        changes.cover_seq.emplace(it->second);
      }
      if (e.order) {
        std::vector<long long> seqs;
        std::unordered_set<std::string> named;
        for (const auto& id : *e.order) {
          const auto it = seq_of.find(id);
          if (it == seq_of.end())
            throw errors::bad_request(i18n::msg("order names {}, which is not an image of this album", id));
          if (!named.insert(id).second) throw errors::bad_request(i18n::msg("order names {} twice", id));
          seqs.push_back(it->second);
        }
        for (const auto& [seq, id] : items)
          if (!named.contains(id))
            throw errors::bad_request(i18n::msg("order leaves out {}: it must name every image of the album once", id));
        repo.reorder(album.seq, seqs);
      }
    }
    repo.update(album.seq, changes);
    tx.commit();
  }
  app.log().success(by.empty() ? i18n::msg("album {} edited.", album.id)
                               : i18n::msg("album {} edited by {}.", album.id, by));
  auto now = repo.find(album.id);
  if (!now || now->status == "deleting") throw errors::not_found(i18n::msg("no such album"));
  return *now;
}

AlbumRecord add_images(App& app, const AlbumRecord& album, const std::vector<std::string>& image_ids,
                       const UserRecord& by) {
  if (image_ids.empty()) throw errors::bad_request(i18n::msg("choose at least one image"));
  auto& conn = app.db();
  db::AlbumsRepo albums(conn);
  db::ImagesRepo images(conn);
  std::size_t added = 0;
  {
    db::Transaction tx(conn);
    const auto gate = albums.lock_row(album.seq);
    if (!gate || gate->status == "deleting") throw errors::not_found(i18n::msg("no such album"));
    if (gate->expired) throw errors::expired(i18n::msg("this album has expired"));
    if (gate->status != "open") throw errors::conflict(i18n::msg("this album is closed: it takes no more images"));
    std::vector<long long> seqs;
    std::unordered_set<std::string> named;
    for (const auto& id : image_ids) {
      if (!named.insert(id).second) continue;
      const auto image = naming::is_image_id(id) ? images.find(id) : std::nullopt;
      if (!image || image->expired) throw errors::not_found(i18n::msg("no image {}", id));
      if (!by.is_admin && image->owner_id != by.id)
        throw errors::forbidden(i18n::msg("{} is not one of your images", image->original_filename));
      if (albums.album_of_image(image->seq))
        throw errors::conflict(i18n::msg("{} is in an album already", image->original_filename));
      seqs.push_back(image->seq);
    }
    const auto appended = albums.append_items(album.seq, seqs);
    // Judged after the insert, under the row lock: the transaction is rolled back whole.
    if (gate->max_items && appended.item_count > *gate->max_items)
      throw errors::album_full(i18n::msg("this album is full: it holds at most {} images", *gate->max_items));
    tx.commit();
    added = seqs.size();
  }
  app.log().success(i18n::msgn("album {}: {} image added by {}.", "album {}: {} images added by {}.",
                               static_cast<long>(added), album.id, added, by.username));
  auto now = albums.find(album.id);
  if (!now || now->status == "deleting") throw errors::not_found(i18n::msg("no such album"));
  return *now;
}

void check_manager(const AlbumRecord& album, const std::string& token, const UserRecord* account) {
  if (!token.empty()) {
    const auto given = crypto::sha256(token);
    const std::string_view given_view(reinterpret_cast<const char*>(given.data()), given.size());
    if (album.manage_token_hash.empty() || !crypto::constant_time_equal(given_view, album.manage_token_hash))
      throw errors::forbidden(i18n::msg("wrong manage token"));
    return;
  }
  if (account && (account->is_admin || album.owner_id == account->id)) return;
  if (album.owner_id) throw errors::forbidden(i18n::msg("only the owner of this album or an admin can change it"));
  throw errors::forbidden(i18n::msg("this album needs its manage token (header X-Manage-Token or field manage_token)"));
}

void check_accepts_uploads(const AlbumRecord& album) {
  if (album.status != "open") throw errors::conflict(i18n::msg("this album is closed: it takes no more uploads"));
  if (album.max_items && album.item_count >= *album.max_items)
    throw errors::album_full(i18n::msg("this album is full: it holds at most {} images", *album.max_items));
}

long long checked_expires_in(const Config& config, long long seconds) {
  if (seconds < kMinExpiresIn || seconds > static_cast<long long>(config.max_expires_in))
    throw errors::bad_request(i18n::msg("expires_in must be {} to {} seconds", kMinExpiresIn, config.max_expires_in));
  return seconds;
}

long long checked_expires_in(const Config& config, std::string_view text) {
  long long n = 0;
  auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), n);
  if (text.empty() || ec != std::errc() || p != text.data() + text.size())
    throw errors::bad_request(
        i18n::msg("expires_in must be a number of seconds, {} to {}", kMinExpiresIn, config.max_expires_in));
  return checked_expires_in(config, n);
}

int checked_max_items(long long n) {
  if (n < 1 || n > kMaxItemsLimit) throw errors::bad_request(i18n::msg("max_items must be 1 to {}", kMaxItemsLimit));
  return static_cast<int>(n);
}

bool may_link(const AlbumRecord& album, const Viewer& viewer) {
  if (album.expired || album.status == "deleting") return false;
  if (album.visibility == Visibility::public_) return true;
  const auto* account = viewer.account;
  if (account && (account->is_admin || album.owner_id == account->id)) return true;
  return viewer.holds_a_token;
}

std::string status_of(const AlbumRecord& album) { return album.expired ? "expired" : album.status; }

}  // namespace imghost::albums
