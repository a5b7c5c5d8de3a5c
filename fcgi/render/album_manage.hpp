// The pages where an album is managed in the browser: "My albums" (an account's albums
// and the form that creates one), an album's manage page (rename, close, reorder, cover)
// and the page that confirms its deletion.  The manage page is the same for an
// account's album (the session, its CSRF token in every form) and for an anonymous one
// (its manage token, carried by the manage link and by every form as `manage_token`).
// All variable text is escaped; every word goes through i18n.
#pragma once

#include <string>
#include <vector>

#include "domain/album_record.hpp"
#include "render/account_pages.hpp"
#include "render/html.hpp"

namespace imghost::pages {

std::string my_albums(const Site& site, const AccountView& a, const std::vector<AlbumRecord>& albums);

// How the manage page's forms prove their right: the album's manage token (anonymous
// albums), and the session's CSRF token whenever the browser has a session (the router
// asks every POST with a session cookie for it); "" for what is not there.
struct ManageProof {
  std::string csrf;
  std::string manage_token;
};

// `items`: the album's live images in order (the first page of them is enough: an album
// holds at most 1000; the handler passes them all).
std::string album_manage(const Site& site, const AlbumRecord& album, const std::vector<AlbumItem>& items,
                         const ManageProof& proof);

// "Delete the album?": what goes with it (its images that are in no other album).
std::string album_delete_confirm(const Site& site, const AlbumRecord& album, const ManageProof& proof);

// After the deletion, for a browser without an account (an account's goes back to its
// albums).
std::string album_deleted(const Site& site, const std::string& title);

// The address of an album's manage page: with `?token=` for an anonymous album.
std::string manage_url(const std::string& album_id, const std::string& manage_token);

}  // namespace imghost::pages
