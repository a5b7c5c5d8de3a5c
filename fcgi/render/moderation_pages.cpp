#include "render/moderation_pages.hpp"

#include <fmt/format.h>

#include "domain/translate.hpp"

namespace imghost::pages {
namespace {

std::string target_page(const std::string& id, TargetKind kind) {
  return fmt::format("/{}/{}", kind == TargetKind::image ? "i" : "a", escape(id));
}

}  // namespace

std::string report_link(const std::string& target_id) {
  return fmt::format("<p class=\"report\"><a href=\"/report/{}\">{}</a></p>", escape(target_id),
                     i18n::tr("Report this to the site's operator"));
}

std::string report_form(const Site& site, const std::string& target_id, TargetKind kind, const std::string& csrf,
                        const std::string& error) {
  struct Reason {
    const char* value;
    std::string label;
  };
  const Reason reasons[] = {{"spam", i18n::tr("Spam or advertising")},
                            {"illegal", i18n::tr("Illegal content")},
                            {"copyright", i18n::tr("It infringes my copyright")},
                            {"privacy", i18n::tr("It shows me or my data without my consent")},
                            {"other", i18n::tr("Something else")}};
  std::string choices;
  for (const auto& r : reasons)
    choices +=
        fmt::format("<label class=\"choice\"><input type=\"radio\" name=\"reason\" value=\"{}\" required> {}</label>",
                    r.value, escape(r.label));
  const auto what = kind == TargetKind::image ? i18n::tr("this image") : i18n::tr("this album");
  std::string body = fmt::format("<h1>{}</h1>", escape(i18n::trf("Report {}", what)));
  if (!error.empty()) body += fmt::format("<p class=\"error\" role=\"alert\">{}</p>", escape(error));
  body += fmt::format(
      "<form class=\"card\" method=\"post\" action=\"/report/{id}\">{csrf}"
      "<fieldset><legend>{why}</legend>{choices}</fieldset>"
      "<label for=\"details\">{details}</label>"
      "<textarea id=\"details\" name=\"details\" maxlength=\"1000\" rows=\"4\"></textarea>"
      "<p class=\"actions\"><button type=\"submit\">{send}</button> <a class=\"button secondary\" "
      "href=\"{back}\">{cancel}</a></p></form>",
      fmt::arg("id", escape(target_id)), fmt::arg("csrf", csrf_field(csrf)),
      fmt::arg("why", escape(i18n::tr("Why should the operator look at it?"))), fmt::arg("choices", choices),
      fmt::arg("details", escape(i18n::tr("Details (optional): what is wrong, where it comes from"))),
      fmt::arg("send", escape(i18n::tr("Send the report"))), fmt::arg("back", target_page(target_id, kind)),
      fmt::arg("cancel", escape(i18n::tr("Cancel"))));
  return layout(site, i18n::tr("Report"), body, {Nav::none, true});
}

std::string report_sent(const Site& site, const std::string& target_id, TargetKind kind) {
  const auto body =
      fmt::format("<h1>{}</h1><div class=\"card\"><p>{}</p><p><a href=\"{}\">{}</a></p></div>",
                  escape(i18n::tr("Thank you")), escape(i18n::tr("The site's operator will look at your report.")),
                  target_page(target_id, kind), escape(i18n::tr("Back")));
  return layout(site, i18n::tr("Report sent"), body, {Nav::none, true});
}

}  // namespace imghost::pages
