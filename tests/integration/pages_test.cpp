// The browser's side of the worker: the form's redirect and its result page with the
// delete links only for the uploading browser's cookie, visibility, an image's page,
// nginx's errors as pages, the page security headers, and a truthful delete page.
#include <boost/test/unit_test.hpp>
#include <nlohmann/json.hpp>

#include "fixture.hpp"

using namespace imghost::testing;
using nlohmann::json;

namespace {

bool contains(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

json upload_json(Env& env, int seed, const char* visibility = nullptr) {
  std::vector<FormField> fields{{"file", "v" + std::to_string(seed) + ".png", png_bytes(seed)}};
  if (visibility) fields.push_back({"visibility", std::nullopt, visibility});
  auto req = upload_request("/api/v1/images", fields);
  const auto r = env.run(req);
  BOOST_REQUIRE_MESSAGE(r.status == 201, r.body);
  return json::parse(r.body);
}

imghost::http::Response get(Env& env, const std::string& path, std::map<std::string, std::string> headers = {}) {
  StringRequest req("GET", path, "", std::move(headers));
  return env.run(req);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(pages)

BOOST_AUTO_TEST_CASE(form_upload_redirects_and_only_the_cookie_shows_the_delete_links) {
  Env env;
  auto form = upload_request("/upload", {{"file", "a.png", png_bytes(20)}, {"file", "b.png", png_bytes(21)}});
  const auto r = env.run(form);
  BOOST_TEST_REQUIRE(r.status == 303);
  const auto location = *header_of(r, "Location");
  const auto cookie = *header_of(r, "Set-Cookie");
  BOOST_TEST(location.starts_with("/uploaded/"));
  BOOST_TEST(contains(cookie, "; Path=" + location + ";"), cookie);
  BOOST_TEST(contains(cookie, "HttpOnly"));
  BOOST_TEST(contains(cookie, "SameSite=Lax"));
  BOOST_TEST(!contains(location, "token"));
  BOOST_TEST(env.count("images") == 2);

  const auto pair = cookie.substr(0, cookie.find(';'));
  const auto with = get(env, location, {{"Cookie", "other=1; " + pair}});
  BOOST_TEST(with.status == 200);
  BOOST_TEST(contains(with.body, "/delete/"), "the uploading browser sees its delete links");
  BOOST_TEST(*header_of(with, "Cache-Control") == "no-store");
  const auto without = get(env, location);
  BOOST_TEST(without.status == 200);
  BOOST_TEST(!contains(without.body, "/delete/"), "anyone else does not");
  BOOST_TEST(contains(without.body, "a.png"));
  const auto forged =
      get(env, location, {{"Cookie", "imghost_delete=" + location.substr(10, 20) + "." + std::string(32, 'a')}});
  BOOST_TEST(!contains(forged.body, "/delete/"), "a token that does not match shows nothing");
  BOOST_TEST(env.count("images") == 2, "showing the result page again uploads nothing");
  BOOST_TEST(get(env, "/uploaded/abcdefghijklmnopqrst").status == 404);
  BOOST_TEST(get(env, "/uploaded/not-an-id").status == 404);
}

BOOST_AUTO_TEST_CASE(unlisted_is_the_default_and_is_never_listed) {
  Env env;
  const auto hidden = upload_json(env, 30);
  const auto shown = upload_json(env, 31, "public");
  BOOST_TEST(hidden["visibility"] == "unlisted");
  BOOST_TEST(shown["visibility"] == "public");
  const auto list = json::parse(get(env, "/api/v1/images").body)["items"];
  BOOST_TEST(list.size() == 1u);
  BOOST_TEST(list[0]["id"] == shown["id"]);
  const auto catalog = get(env, "/images/").body;
  BOOST_TEST(contains(catalog, std::string(shown["id"])));
  BOOST_TEST(!contains(catalog, std::string(hidden["id"])));
  BOOST_TEST(!contains(catalog, std::string(hidden["filename"])));
  // Reachable by its link: the API's get-by-id and its own page.
  BOOST_TEST(get(env, "/api/v1/images/" + std::string(hidden["id"])).status == 200);
  const auto page = get(env, "/i/" + std::string(hidden["id"]));
  BOOST_TEST(page.status == 200);
  BOOST_TEST(contains(page.body, "noindex"));
  BOOST_TEST(!contains(get(env, "/i/" + std::string(shown["id"])).body, "noindex"));

  auto bad = upload_request("/api/v1/images", {{"file", "x.png", png_bytes(32)}, {"visibility", std::nullopt, "all"}});
  const auto refused = env.run(bad);
  BOOST_TEST(refused.status == 400);
  BOOST_TEST(json::parse(refused.body)["error"]["code"] == "bad_request");
  BOOST_TEST(env.count("images") == 2);
}

BOOST_AUTO_TEST_CASE(more_files_than_max_files_is_413_before_any_is_stored) {
  Env env;
  std::vector<FormField> fields;
  for (int i = 0; i < 21; ++i) fields.push_back({"file", "f" + std::to_string(i) + ".png", png_bytes(100 + i, 8, 8)});
  auto req = upload_request("/api/v1/images", fields);
  const auto r = env.run(req);
  BOOST_TEST(r.status == 413);
  BOOST_TEST(contains(json::parse(r.body)["error"]["message"], "at most 20 files"));
  BOOST_TEST(env.count("images") == 0);
  fields.pop_back();
  auto twenty = upload_request("/api/v1/images", fields);
  BOOST_TEST(env.run(twenty).status == 201);
}

BOOST_AUTO_TEST_CASE(image_page_has_every_code_with_a_label) {
  Env env;
  auto req = upload_request("/api/v1/images",
                            {{"file", "c.png", png_bytes(40, 400, 300)}, {"description", std::nullopt, "x ] y \"z\""}});
  const auto obj = json::parse(env.run(req).body);
  const std::string id = obj["id"];
  const auto page = get(env, "/i/" + id);
  BOOST_TEST(page.status == 200);
  for (const char* key :
       {"direct", "direct-thumb", "html", "html-thumb", "markdown", "markdown-thumb", "bbcode", "bbcode-thumb"}) {
    const std::string field = "code-" + id + "-" + key;
    BOOST_TEST(contains(page.body, "<label for=\"" + field + "\""), key);
    BOOST_TEST(contains(page.body, "<input id=\"" + field + "\""), key);
  }
  BOOST_TEST(contains(page.body, R"(![x \] y &quot;z&quot;]()"), "Markdown escapes the ]");
  BOOST_TEST(contains(page.body, "width=\"400\" height=\"300\""), "the shown image's size is stated");
  BOOST_TEST(contains(page.body, "width=&quot;320&quot; height=&quot;240&quot;"), "and the thumbnail's in its code");
  BOOST_TEST(contains(page.body, "400 × 300"));
  BOOST_TEST(get(env, "/i/abcdefghijklmnopqrst").status == 404);
}

BOOST_AUTO_TEST_CASE(nginx_errors_become_pages_with_the_limits_or_json) {
  Env env;
  const auto page = get(env, "/_error/413");
  BOOST_TEST(page.status == 413);
  BOOST_TEST(contains(page.body, "5 MiB each"));
  BOOST_TEST(contains(page.body, "at most 20 files"));
  BOOST_TEST(contains(page.body, "lang=\"en\""));
  const auto j = get(env, "/_error/413", {{"Accept", "application/json"}});
  BOOST_TEST(json::parse(j.body)["error"]["code"] == "too_large");
  BOOST_TEST(get(env, "/_error/404").status == 404);
}

BOOST_AUTO_TEST_CASE(pages_carry_the_security_headers_and_json_does_not_need_them) {
  Env env;
  for (const char* path : {"/", "/upload", "/images/", "/mine", "/no-such-page"}) {
    const auto r = get(env, path);
    BOOST_TEST_CONTEXT(path) {
      const auto csp = header_of(r, "Content-Security-Policy");
      BOOST_TEST_REQUIRE(csp.has_value());
      BOOST_TEST(contains(*csp, "frame-ancestors 'none'"));
      BOOST_TEST(*header_of(r, "X-Content-Type-Options") == "nosniff");
      BOOST_TEST(*header_of(r, "Referrer-Policy") == "no-referrer");
      BOOST_TEST(!contains(r.body, "<script>"), "no inline script");
      BOOST_TEST(!contains(r.body, " style=\""), "no inline style");
    }
  }
  BOOST_TEST(!header_of(get(env, "/api/v1/health"), "Content-Security-Policy").has_value());
}

// Each upload has its own links: deleting one of two uploads of the same bytes takes its
// file, and the page tells nothing about the other upload.
BOOST_AUTO_TEST_CASE(deleting_one_of_two_uploads_of_the_same_bytes_says_nothing_of_the_other) {
  Env env;
  const auto a = upload_json(env, 50), b = upload_json(env, 50);
  BOOST_TEST_REQUIRE(a["filename"] != b["filename"]);
  for (const auto* img : {&a, &b}) {
    StringRequest del("POST", "/delete/" + std::string((*img)["id"]), "token=" + std::string((*img)["delete_token"]));
    const auto r = env.run(del);
    BOOST_TEST(r.status == 200);
    BOOST_TEST(contains(r.body, "its file and its thumbnail are gone"));
    BOOST_TEST(!contains(r.body, "stays online"));
    BOOST_TEST(!contains(r.body, "uploaded separately"));
    BOOST_TEST(!original_exists(env, (*img)["filename"]));
  }
}

BOOST_AUTO_TEST_SUITE_END()
