#include "render/album_manage.hpp"

#include <fmt/format.h>

#include "domain/thumbnail_geometry.hpp"
#include "domain/translate.hpp"
#include "render/json.hpp"
#include "render/pages.hpp"

namespace imghost::pages {
namespace {

std::string shown_name(const ImageRecord& r) { return r.original_filename.empty() ? r.name : r.original_filename; }

// The hidden fields that prove a form's right to change the album.
std::string proof_fields(const ManageProof& p) {
  std::string out = csrf_field(p.csrf);
  if (!p.manage_token.empty())
    out += fmt::format("<input type=\"hidden\" name=\"manage_token\" value=\"{}\">", escape(p.manage_token));
  return out;
}

std::string status_badge(const AlbumRecord& a) {
  return a.status == "open" ? "<span class=\"badge public\">" + escape(i18n::tr("Open")) + "</span>"
                            : "<span class=\"badge\">" + escape(i18n::tr("Closed")) + "</span>";
}

std::string visibility_word(const AlbumRecord& a) {
  return a.visibility == Visibility::public_ ? i18n::tr("Public") : i18n::tr("Unlisted");
}

std::string item_html(const Site& site, const AlbumRecord& a, const AlbumItem& item, bool first, bool last,
                      const ManageProof& proof) {
  const auto& r = item.image;
  const auto [w, h] = fit_within(static_cast<std::uint32_t>(r.width), static_cast<std::uint32_t>(r.height), 96);
  const bool is_cover = a.cover_id && *a.cover_id == r.id;
  const auto name = escape(shown_name(r));
  const auto hidden_name = "<span class=\"visually-hidden\"> " + name + "</span>";
  std::string out = fmt::format(
      "<li class=\"manage-item\" data-id=\"{id}\"><img src=\"{thumb}\" width=\"{w}\" height=\"{h}\" alt=\"\" "
      "loading=\"lazy\"><div class=\"item-text\"><a class=\"name\" href=\"/i/{id}\">{name}</a>{cover}</div>"
      "<div class=\"item-actions\"><form method=\"post\" action=\"/a/{album}/manage/move\">{proof}"
      "<input type=\"hidden\" name=\"image\" value=\"{id}\">"
      "<button class=\"secondary small\" name=\"to\" value=\"up\"{up_off}>{up}{hidden}</button> "
      "<button class=\"secondary small\" name=\"to\" value=\"down\"{down_off}>{down}{hidden}</button></form>",
      fmt::arg("id", escape(r.id)), fmt::arg("thumb", escape(views::thumb_url(site.config.public_base_url, r.name))),
      fmt::arg("w", w), fmt::arg("h", h), fmt::arg("name", name),
      fmt::arg("cover",
               is_cover ? " <span class=\"badge public\">" + escape(i18n::tr("Cover")) + "</span>" : std::string()),
      fmt::arg("album", escape(a.id)), fmt::arg("proof", proof_fields(proof)),
      fmt::arg("up_off", first ? " disabled" : ""), fmt::arg("down_off", last ? " disabled" : ""),
      fmt::arg("up", escape(i18n::tr("Move up"))), fmt::arg("down", escape(i18n::tr("Move down"))),
      fmt::arg("hidden", hidden_name));
  if (!is_cover)
    out += fmt::format(
        "<form method=\"post\" action=\"/a/{}/manage/cover\">{}<input type=\"hidden\" name=\"image\" value=\"{}\">"
        "<button class=\"secondary small\">{}{}</button></form>",
        escape(a.id), proof_fields(proof), escape(r.id), escape(i18n::tr("Make it the cover")), hidden_name);
  return out + "</div></li>";
}

}  // namespace

std::string manage_url(const std::string& album_id, const std::string& manage_token) {
  return "/a/" + album_id + "/manage" + (manage_token.empty() ? "" : "?token=" + manage_token);
}

std::string my_albums(const Site& site, const AccountView& a, const std::vector<AlbumRecord>& albums) {
  std::string body = "<h1>" + escape(i18n::tr("My albums")) + "</h1>" + account_bar(a);
  if (albums.empty())
    body += "<p class=\"card\">" +
            escape(i18n::tr("No albums yet: create one below, then add images to it from "
                            "My images or upload into it.")) +
            "</p>";
  else
    body += "<ul class=\"album-list\">";
  for (const auto& album : albums) {
    const long n = static_cast<long>(album.item_count);
    body += fmt::format(
        "<li class=\"card\"><h2><a href=\"/a/{id}\">{title}</a></h2><p class=\"meta\">{count} · {status} "
        "<span class=\"badge\">{vis}</span></p><p><a class=\"button secondary\" href=\"/a/{id}/manage\">{manage}"
        "<span class=\"visually-hidden\"> {title}</span></a></p></li>",
        fmt::arg("id", escape(album.id)), fmt::arg("title", escape(album_title(album))),
        fmt::arg("count", escape(i18n::trnf("{} image", "{} images", n, n))), fmt::arg("status", status_badge(album)),
        fmt::arg("vis", escape(visibility_word(album))), fmt::arg("manage", escape(i18n::tr("Manage"))));
  }
  if (!albums.empty()) body += "</ul>";
  body += fmt::format(
      "<form class=\"card\" method=\"post\" action=\"/account/albums\">{csrf}<h2>{create}</h2>"
      "<label for=\"album-title\">{title}</label>"
      "<input id=\"album-title\" type=\"text\" name=\"title\" maxlength=\"200\">"
      "<fieldset class=\"visibility\"><legend>{who}</legend>"
      "<div class=\"choice\"><input type=\"radio\" id=\"album-unlisted\" name=\"visibility\" value=\"unlisted\" "
      "checked><label for=\"album-unlisted\">{unlisted}</label></div>"
      "<div class=\"choice\"><input type=\"radio\" id=\"album-public\" name=\"visibility\" value=\"public\">"
      "<label for=\"album-public\">{public_}</label></div></fieldset>"
      "<p><button type=\"submit\">{button}</button></p></form>",
      fmt::arg("csrf", csrf_field(a.csrf)), fmt::arg("create", escape(i18n::tr("Create an album"))),
      fmt::arg("title", escape(i18n::tr("Title (optional, at most 200 characters)"))),
      fmt::arg("who", escape(i18n::tr("Who can see it"))),
      fmt::arg("unlisted", escape(i18n::tr("Unlisted: only people with the link"))),
      fmt::arg("public_", escape(i18n::tr("Public: also listed for everyone"))),
      fmt::arg("button", escape(i18n::tr("Create the album"))));
  return layout(site, i18n::tr("My albums"), body, {Nav::account, true});
}

std::string album_manage(const Site& site, const AlbumRecord& a, const std::vector<AlbumItem>& items,
                         const ManageProof& proof) {
  const long n = static_cast<long>(items.size());
  const auto title = i18n::trf("Manage “{}”", album_title(a));
  std::string body = fmt::format(
      "<article class=\"album-manage\" data-album-id=\"{id}\"><h1>{title}</h1>"
      "<p class=\"meta\"><a href=\"/a/{id}\">{see}</a> · {count} · {status} <span class=\"badge\">{vis}</span></p>"
      "<section class=\"card\" aria-labelledby=\"manage-text-title\"><h2 id=\"manage-text-title\">{text_title}</h2>"
      "<form method=\"post\" action=\"/a/{id}/manage/edit\">{proof}"
      "<label for=\"manage-title\">{title_label}</label>"
      "<input id=\"manage-title\" type=\"text\" name=\"title\" maxlength=\"200\" value=\"{title_value}\">"
      "<label for=\"manage-description\">{description_label}</label>"
      "<textarea id=\"manage-description\" name=\"description\" maxlength=\"1000\" rows=\"3\">{description}</textarea>"
      "<p><button type=\"submit\">{save}</button></p></form></section>",
      fmt::arg("id", escape(a.id)), fmt::arg("title", escape(title)), fmt::arg("see", escape(i18n::tr("Its page"))),
      fmt::arg("count", escape(i18n::trnf("{} image", "{} images", n, n))), fmt::arg("status", status_badge(a)),
      fmt::arg("vis", escape(visibility_word(a))), fmt::arg("text_title", escape(i18n::tr("Title and description"))),
      fmt::arg("proof", proof_fields(proof)), fmt::arg("title_label", escape(i18n::tr("Title"))),
      fmt::arg("title_value", escape(a.title.value_or(""))),
      fmt::arg("description_label", escape(i18n::tr("Description"))),
      fmt::arg("description", escape(a.description.value_or(""))), fmt::arg("save", escape(i18n::tr("Save"))));

  body += fmt::format(
      "<section class=\"card\" aria-labelledby=\"manage-images-title\"><h2 id=\"manage-images-title\">"
      "{}</h2>",
      escape(i18n::tr("Order and cover")));
  if (items.empty()) {
    body += "<p>" + escape(i18n::tr("No images in this album yet.")) + "</p>";
  } else {
    body += "<p class=\"hint\">" +
            escape(i18n::tr("The album shows its images in this order; the cover stands for it in link previews.")) +
            " <span class=\"js-only\">" + escape(i18n::tr("Drag an image to move it, or use its buttons.")) +
            "</span></p>";
    body += fmt::format("<ol class=\"manage-list\" data-order-form=\"order-form-{}\">", escape(a.id));
    for (std::size_t i = 0; i < items.size(); ++i)
      body += item_html(site, a, items[i], i == 0, i + 1 == items.size(), proof);
    body += fmt::format(
        "</ol><form id=\"order-form-{0}\" class=\"order-form\" method=\"post\" action=\"/a/{0}/manage/order\" "
        "hidden>{1}<input type=\"hidden\" name=\"order\" value=\"\"></form>",
        escape(a.id), proof_fields(proof));
  }
  body += "</section>";

  if (a.status == "open")
    body += fmt::format(
        "<section class=\"card\" aria-labelledby=\"manage-close-title\"><h2 id=\"manage-close-title\">{}</h2>"
        "<p>{}</p><form method=\"post\" action=\"/a/{}/manage/close\">{}<button class=\"secondary\">{}</button>"
        "</form></section>",
        escape(i18n::tr("Uploads")),
        escape(i18n::tr("The album is open: it takes more images. Closing it is for good: it takes no more.")),
        escape(a.id), proof_fields(proof), escape(i18n::tr("Close the album")));

  const auto del = "/a/" + a.id + "/delete" + (proof.manage_token.empty() ? "" : "?token=" + proof.manage_token);
  body += fmt::format(
      "<section class=\"card danger-zone\" aria-labelledby=\"manage-delete-title\"><h2 id=\"manage-delete-title\">"
      "{}</h2><p>{}</p><p><a class=\"button danger\" href=\"{}\">{}</a></p></section></article>",
      escape(i18n::tr("Delete")),
      escape(i18n::tr("Deleting the album also deletes its images that are in no other album.")), escape(del),
      escape(i18n::tr("Delete the album…")));
  return layout(site, title, body, {Nav::account, true});
}

std::string album_delete_confirm(const Site& site, const AlbumRecord& a, const ManageProof& proof) {
  const long n = static_cast<long>(a.item_count);
  const auto title = i18n::trf("Delete the album “{}”?", album_title(a));
  return layout(
      site, title,
      fmt::format("<h1>{title}</h1><div class=\"card\"><p>{what}</p>"
                  "<form method=\"post\" action=\"/a/{id}/delete\" class=\"confirm-actions\">{proof}"
                  "<button class=\"danger\" type=\"submit\">{yes}</button> "
                  "<a class=\"button secondary\" href=\"{back}\">{no}</a></form></div>",
                  fmt::arg("title", escape(title)),
                  fmt::arg("what", escape(i18n::trnf("Its page goes, and with it its {} image: its links stop "
                                                     "working. This cannot be undone.",
                                                     "Its page goes, and with it its {} images: their links stop "
                                                     "working. This cannot be undone.",
                                                     n, n))),
                  fmt::arg("id", escape(a.id)), fmt::arg("proof", proof_fields(proof)),
                  fmt::arg("yes", escape(i18n::tr("Delete the album for good"))),
                  fmt::arg("back", escape(manage_url(a.id, proof.manage_token))),
                  fmt::arg("no", escape(i18n::tr("Keep it")))),
      {Nav::account, true});
}

std::string album_deleted(const Site& site, const std::string& title) {
  return layout(site, i18n::tr("Album deleted"),
                fmt::format("<h1>{}</h1><div class=\"card\"><p>{}</p></div><p class=\"actions\">"
                            "<a class=\"button\" href=\"/upload\">{}</a></p>",
                            escape(i18n::tr("Album deleted")),
                            escape(i18n::trf("The album “{}” and its images are deleted.", title)),
                            escape(i18n::tr("Upload images"))),
                {Nav::none, true});
}

}  // namespace imghost::pages
