// The HTML pages.  Each returns a complete document; all variable text is escaped.
// Links and embed codes use the configured public base URL ("https://img.example"), or
// are relative to this site when none is set: never the request's Host header, which
// the client chooses.
#pragma once

#include <ctime>
#include <optional>
#include <string>
#include <vector>

#include "domain/album_record.hpp"
#include "domain/image_record.hpp"
#include "render/html.hpp"

namespace imghost::pages {

// What an image and an album are called on their pages and in their previews: an
// image's description on one line (shortened) or else its file name; an album's title or
// "Untitled album".
std::string image_title(const ImageRecord& r);
std::string album_title(const AlbumRecord& a);

// `csrf`: the session's CSRF token when a logged-in browser asks (the form carries it;
// the uploads then belong to the account), else "".
std::string home(const Site& site, const std::string& csrf = "");
std::string upload_form(const Site& site, const std::string& csrf = "");

// The album a page links to, when core/albums' may_link allows it, and its manage
// token when the page shows it to the browser that created the album ("" otherwise).
struct AlbumLink {
  AlbumRecord album;
  std::string manage_token;
};

// The page an upload from the form is redirected to.  `delete_tokens` holds, for each
// image in `images`, its delete token when the uploading browser's cookie proved it
// (else ""); `gone` counts the images of that upload that have expired or been deleted
// since; `album` is the album they went into.  `now`: the clock that "expires in …"
// counts from.
std::string uploaded(const Site& site, const std::vector<ImageRecord>& images,
                     const std::vector<std::string>& delete_tokens, std::size_t gone,
                     const std::optional<AlbumLink>& album = std::nullopt, std::time_t now = std::time(nullptr));

// An image's own page, /i/{id}: the image, its description, size and format, every
// copy-ready code, "expires in …" when it expires, the link to its album, and its link
// preview tags (link_preview.hpp).
// `owner_tools`: the owner's edit form (owner_images.hpp), already HTML, "" for others.
std::string image_page(const Site& site, const ImageRecord& r, const std::optional<AlbumLink>& album = std::nullopt,
                       std::time_t now = std::time(nullptr), std::string_view owner_tools = {});

// An album's page, /a/{id}: its title and description, its own link, "expires in …"
// when it expires, and its images in order, each with the codes of its own page.
// `picture` stands for the album in link previews (core/previews.hpp: album_picture).
// `next_after` is the position the next page of the album starts after, if any.
std::string album_page(const Site& site, const AlbumRecord& album, const std::vector<AlbumItem>& items,
                       const std::optional<ImageRecord>& picture, std::optional<long long> next_after,
                       bool is_first_page, std::time_t now = std::time(nullptr));

// The catalog page of public images; `next_cursor` links to the following (older) page.
std::string catalog(const Site& site, const std::vector<ImageRecord>& items,
                    const std::optional<std::string>& next_cursor, bool is_first_page);

// The uploads this browser remembers (kept by the script in localStorage).
std::string my_uploads(const Site& site);

// `token`: the delete link's token ("" when the owner's session deletes); `csrf`: the
// session's CSRF token when a logged-in browser asks, else "".
std::string delete_confirm(const Site& site, const ImageRecord& r, const std::string& token,
                           const std::string& csrf = "");
// What a delete did: the image, its file and its thumbnail are gone (never a word about
// other uploads of the same bytes).
std::string deleted(const Site& site, const ImageRecord& gone);

// Every error, from the worker or from nginx (413, the 404 of a missing file): a title,
// the message, the limits where they matter, and ways back.
std::string error_page(const Site& site, int status, const std::string& message);

// The short body of a 303 answer, for clients that show it instead of following.
std::string see_other(const Site& site, const std::string& location);

}  // namespace imghost::pages
