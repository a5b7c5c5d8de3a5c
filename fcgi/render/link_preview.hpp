// Link previews: the OpenGraph and Twitter card tags in the <head> of an image's and an
// album's page, their oEmbed discovery link, and the oEmbed 1.0 answers of
// GET /api/oembed (https://oembed.com).  Chat apps and social sites fetch the page as
// plain HTML and read only these tags, so every URL in them is absolute: they exist only
// when the public base URL is configured (a page's own address would come from the Host
// header, which the client chooses; see pages.hpp).
#pragma once

#include <nlohmann/json.hpp>
#include <optional>
#include <string>

#include "domain/album_record.hpp"
#include "domain/config.hpp"
#include "domain/image_record.hpp"
#include "render/html.hpp"

namespace imghost::pages {

// The tags of /i/{id}: the image itself (its file, type and size) is the picture.
// "" when no public base URL is set.
std::string image_preview_tags(const Site& site, const ImageRecord& r);
// The tags of /a/{id}: `picture` (core/previews.hpp: album_picture) is the picture; an
// album without one gets a card without an image.  "" when no public base URL is set.
std::string album_preview_tags(const Site& site, const AlbumRecord& a, const std::optional<ImageRecord>& picture);

}  // namespace imghost::pages

namespace imghost::views {

// oEmbed's maxwidth and maxheight, as the consumer sent them (nullopt: no bound).
struct EmbedBox {
  std::optional<std::uint32_t> max_width;
  std::optional<std::uint32_t> max_height;
};

// type "photo": url is the file, width and height its size fitted into the box (never
// enlarged).  The thumbnail is named only when it fits in the box too.
nlohmann::json oembed_photo(const Config& config, const ImageRecord& r, EmbedBox box);
// type "rich": html is a link to the album's page around its picture's thumbnail (or its
// title, when it has no picture), no iframe and no script; width and height are the
// snippet's, fitted into the box.
nlohmann::json oembed_album(const Config& config, const AlbumRecord& a, const std::optional<ImageRecord>& picture,
                            EmbedBox box);

}  // namespace imghost::views
