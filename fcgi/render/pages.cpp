#include "render/pages.hpp"

#include <fmt/format.h>

#include "image/format.hpp"
#include "render/html.hpp"
#include "render/json.hpp"

namespace imghost::pages {
namespace {

std::string mib(std::uint64_t bytes) {
  return bytes % (1u << 20) == 0 ? fmt::format("{} MiB", bytes >> 20)
                                 : fmt::format("{:.1f} MiB", static_cast<double>(bytes) / (1u << 20));
}

std::string code_field(std::string_view label, const std::string& value) {
  return fmt::format("<label>{}</label><input type=\"text\" readonly value=\"{}\" onclick=\"this.select()\">",
                     escape(label), escape(value));
}

}  // namespace

std::string home(const Config& c) {
  return layout("Image hosting",
                fmt::format("<h1>imghost</h1><div class=\"card\"><p>Upload {} images up to {} each and get "
                            "direct links that work anywhere: social networks, blogs, forums and chats.</p>"
                            "<p><a class=\"button\" href=\"/upload\">Upload images</a> "
                            "<a href=\"/images/\">Browse the catalog</a></p></div>"
                            "<div class=\"card\"><p>From a terminal:</p>"
                            "<pre>curl -F file=@cat.jpg http://HOST/api/v1/images</pre></div>",
                            escape(image::describe(c.image.accepted)), mib(c.max_file_bytes)));
}

std::string upload_form(const Config& c) {
  return layout("Upload", fmt::format("<h1>Upload images</h1><form class=\"card\" method=\"post\" action=\"/upload\" "
                                      "enctype=\"multipart/form-data\">"
                                      "<label for=\"file\">Images ({}; at most {} each)</label>"
                                      "<input id=\"file\" type=\"file\" name=\"file\" multiple required "
                                      "accept=\"image/jpeg,image/png,image/gif,image/webp\">"
                                      "<label for=\"description\">Description (optional)</label>"
                                      "<textarea id=\"description\" name=\"description\" maxlength=\"1000\"></textarea>"
                                      "<p><button type=\"submit\">Upload</button></p></form>",
                                      escape(image::describe(c.image.accepted)), mib(c.max_file_bytes)));
}

std::string upload_result(const std::vector<Stored>& stored, const std::string& base) {
  std::string body = fmt::format("<h1>Uploaded {} image{}</h1>", stored.size(), stored.size() == 1 ? "" : "s");
  for (const auto& s : stored) {
    const auto& r = s.record;
    const auto url = views::image_url(base, r.name);
    const auto thumb = views::thumb_url(base, r.name);
    const auto del = views::delete_url(base, r.id, s.delete_token);
    const auto alt = r.description.value_or(r.original_filename);
    body += fmt::format(
        "<div class=\"card result\"><a href=\"{0}\"><img src=\"{1}\" alt=\"{2}\"></a><div class=\"codes\">"
        "<p><strong>{3}</strong><br><small>{4}×{5} {6}, {7} bytes</small></p>",
        escape(url), escape(thumb), escape(alt), escape(r.original_filename), r.width, r.height, escape(r.format),
        r.size);
    body += code_field("Direct link", url);
    body += code_field("HTML", fmt::format("<a href=\"{}\"><img src=\"{}\" alt=\"{}\"></a>", url, thumb, escape(alt)));
    body += code_field("Markdown", fmt::format("[![{}]({})]({})", alt, thumb, url));
    body += code_field("BBCode", fmt::format("[url={}][img]{}[/img][/url]", url, thumb));
    body += code_field("Delete link (keep it private: it is shown only once)", del);
    body += "</div></div>";
  }
  body += "<p><a href=\"/upload\">Upload more</a></p>";
  return layout("Uploaded", body);
}

std::string error_page(int status, const std::string& message) {
  return layout("Error", fmt::format("<h1>Error {}</h1><div class=\"card error\"><p>{}</p></div>"
                                     "<p><a href=\"/upload\">Back to the upload form</a></p>",
                                     status, escape(message)));
}

std::string catalog(const std::vector<db::ImageRecord>& items, const std::optional<std::string>& next_cursor,
                    bool is_first_page) {
  std::string body = "<h1>Catalog</h1>";
  if (items.empty()) body += "<div class=\"card\"><p>No images yet. <a href=\"/upload\">Upload one</a>.</p></div>";
  body += "<div class=\"grid\">";
  for (const auto& r : items) {
    body += fmt::format("<a href=\"{}\"><img loading=\"lazy\" src=\"{}\" alt=\"{}\"><br><small>{}</small></a>",
                        escape(views::image_url("", r.name)), escape(views::thumb_url("", r.name)),
                        escape(r.description.value_or(r.original_filename)), escape(r.original_filename));
  }
  body += "</div><div class=\"pager\">";
  if (!is_first_page) body += "<a href=\"/images/\">&laquo; Newest</a>";
  if (next_cursor) body += fmt::format("<a href=\"/images/?cursor={}\">Older &raquo;</a>", escape(*next_cursor));
  body += "</div>";
  return layout("Catalog", body);
}

std::string delete_confirm(const db::ImageRecord& r, const std::string& token, const std::string& csrf) {
  return layout("Delete image",
                fmt::format("<h1>Delete this image?</h1><div class=\"card result\"><img src=\"{}\" alt=\"\">"
                            "<div class=\"codes\"><p><strong>{}</strong><br><small>{}</small></p>"
                            "<form method=\"post\" action=\"/delete/{}{}\">{}"
                            "<button class=\"danger\" type=\"submit\">Delete for good</button></form></div></div>",
                            escape(views::thumb_url("", r.name)), escape(r.original_filename), escape(r.name),
                            escape(r.id), token.empty() ? "" : "?token=" + escape(token), csrf_field(csrf)));
}

std::string deleted(const std::string& name) {
  return layout("Deleted", fmt::format("<h1>Deleted</h1><div class=\"card\"><p>{} is gone.</p></div>", escape(name)));
}

}  // namespace imghost::pages
