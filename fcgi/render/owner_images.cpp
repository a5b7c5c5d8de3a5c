#include "render/owner_images.hpp"

#include <fmt/format.h>

#include "domain/thumbnail_geometry.hpp"
#include "domain/translate.hpp"
#include "render/json.hpp"
#include "render/units.hpp"

namespace imghost::pages {
namespace {

std::string shown_name(const ImageRecord& r) { return r.original_filename.empty() ? r.name : r.original_filename; }

std::string small_thumb(const Site& site, const ImageRecord& r) {
  const auto [w, h] = fit_within(static_cast<std::uint32_t>(r.width), static_cast<std::uint32_t>(r.height), 96);
  return fmt::format("<img src=\"{}\" width=\"{}\" height=\"{}\" alt=\"\" loading=\"lazy\">",
                     escape(views::thumb_url(site.config.public_base_url, r.name)), w, h);
}

}  // namespace

std::string owner_image_form(const ImageRecord& r, const std::string& csrf) {
  const bool listed = r.visibility == Visibility::public_;
  return fmt::format(
      "<section class=\"card owner-edit\" aria-labelledby=\"owner-edit-title\">"
      "<h2 id=\"owner-edit-title\">{title}</h2>"
      "<form method=\"post\" action=\"/i/{id}/edit\">{csrf}"
      "<label for=\"edit-description\">{description} <span class=\"optional\">{optional}</span></label>"
      "<textarea id=\"edit-description\" name=\"description\" maxlength=\"1000\" rows=\"3\">{text}</textarea>"
      "<fieldset class=\"visibility\"><legend>{who}</legend>"
      "<div class=\"choice\"><input type=\"radio\" id=\"edit-unlisted\" name=\"visibility\" value=\"unlisted\"{un}>"
      "<label for=\"edit-unlisted\">{unlisted}</label></div>"
      "<div class=\"choice\"><input type=\"radio\" id=\"edit-public\" name=\"visibility\" value=\"public\"{pub}>"
      "<label for=\"edit-public\">{public_}</label></div></fieldset>"
      "<p class=\"actions\"><button type=\"submit\">{save}</button> "
      "<a class=\"button secondary danger-text\" href=\"/delete/{id}\">{delete_}</a></p></form></section>",
      fmt::arg("title", escape(i18n::tr("Edit your image"))), fmt::arg("id", escape(r.id)),
      fmt::arg("csrf", csrf_field(csrf)), fmt::arg("description", escape(i18n::tr("Description"))),
      fmt::arg("optional", escape(i18n::tr("(at most 1000 characters; empty for none)"))),
      fmt::arg("text", escape(r.description.value_or(""))), fmt::arg("who", escape(i18n::tr("Who can see it"))),
      fmt::arg("un", listed ? "" : " checked"), fmt::arg("pub", listed ? " checked" : ""),
      fmt::arg("unlisted", escape(i18n::tr("Unlisted: only people with the link"))),
      fmt::arg("public_", escape(i18n::tr("Public: also listed in the catalog"))),
      fmt::arg("save", escape(i18n::tr("Save changes"))), fmt::arg("delete_", escape(i18n::tr("Delete…"))));
}

std::string bulk_delete_confirm(const Site& site, const std::vector<ImageRecord>& images, const std::string& csrf) {
  const long n = static_cast<long>(images.size());
  std::string list = "<ul class=\"doomed\">";
  std::string fields;
  for (const auto& r : images) {
    list +=
        fmt::format("<li>{}<span class=\"name\">{}</span> <span class=\"meta\">{}</span></li>", small_thumb(site, r),
                    escape(shown_name(r)), escape(units::human_size(static_cast<std::uint64_t>(r.size))));
    fields += fmt::format("<input type=\"hidden\" name=\"id\" value=\"{}\">", escape(r.id));
  }
  list += "</ul>";
  const auto title = i18n::trnf("Delete {} image?", "Delete these {} images?", n, n);
  return layout(
      site, title,
      fmt::format("<h1>{title}</h1><div class=\"card confirm-many\">{list}<p>{warning}</p>"
                  "<form method=\"post\" action=\"/account/images/delete\" class=\"confirm-actions\">{csrf}{fields}"
                  "<button class=\"danger\" type=\"submit\">{yes}</button> "
                  "<a class=\"button secondary\" href=\"/account\">{no}</a></form></div>",
                  fmt::arg("title", escape(title)), fmt::arg("list", list),
                  fmt::arg("warning", escape(i18n::trn("This image's page, links and embed codes stop working. "
                                                       "This cannot be undone.",
                                                       "Their pages, links and embed codes stop working. This "
                                                       "cannot be undone.",
                                                       n))),
                  fmt::arg("csrf", csrf_field(csrf)), fmt::arg("fields", fields),
                  fmt::arg("yes", escape(i18n::trnf("Delete it for good", "Delete all {} for good", n, n))),
                  fmt::arg("no", escape(i18n::trn("Keep this image", "Keep these images", n)))),
      {Nav::account, true});
}

std::string bulk_deleted(const Site& site, const std::vector<std::string>& names) {
  const long n = static_cast<long>(names.size());
  std::string list = "<ul>";
  for (const auto& name : names) list += "<li>" + escape(name) + "</li>";
  list += "</ul>";
  return layout(
      site, i18n::tr("Deleted"),
      fmt::format("<h1>{}</h1><div class=\"card\" data-deleted-count=\"{}\"><p>{}</p>{}</div>"
                  "<p class=\"actions\"><a class=\"button\" href=\"/account\">{}</a></p>",
                  escape(i18n::tr("Deleted")), n,
                  escape(i18n::trnf("{} image is deleted: its page, its file and its thumbnail are gone.",
                                    "{} images are deleted: their pages, files and thumbnails are gone.", n, n)),
                  list, escape(i18n::tr("Back to my images"))),
      {Nav::account, true});
}

}  // namespace imghost::pages
