// The browser's side of albums and expiry, through handle() against a real PostgreSQL
// and store: the form's "Make these files an album" (the album made in the upload's
// transaction, so a refused upload leaves no album), its result page and manage-token
// cookie, the album's page /a/{id} (its images in order with their codes, 404 and 410
// as pages), "expires in …" on the pages, the form's "Keep for" choices, and which pages
// may link to an unlisted album.
#include <boost/test/unit_test.hpp>
#include <nlohmann/json.hpp>

#include "fixture.hpp"
#include "store/local_store.hpp"

using namespace imghost::testing;
using nlohmann::json;
namespace store = imghost::store;

namespace {

bool contains(const std::string& s, const std::string& part) { return s.find(part) != std::string::npos; }

imghost::http::Response get(Env& env, const std::string& path, std::map<std::string, std::string> headers = {},
                            const std::string& query = "") {
  StringRequest req("GET", path, query, std::move(headers));
  return env.run(req);
}

// "name=value" of every Set-Cookie header.
std::vector<std::string> cookies_of(const imghost::http::Response& r) {
  std::vector<std::string> out;
  for (const auto& [name, value] : r.headers)
    if (name == "Set-Cookie") out.push_back(value.substr(0, value.find(';')));
  return out;
}

// Where `part` first occurs in `s` (npos when absent): the order of things on a page.
std::size_t at(const std::string& s, const std::string& part) { return s.find(part); }

}  // namespace

BOOST_AUTO_TEST_SUITE(album_pages)

BOOST_AUTO_TEST_CASE(the_form_makes_an_album_of_its_files_in_order_and_the_result_page_links_it) {
  Env env;
  auto form = upload_request("/upload", {{"new_album", std::nullopt, "1"},
                                         {"album_title", std::nullopt, "Trip <to> \"the\" sea"},
                                         {"file", "first.png", png_bytes(1)},
                                         {"file", "second.png", png_bytes(2)},
                                         {"file", "third.png", png_bytes(3)}});
  const auto r = env.run(form);
  BOOST_TEST_REQUIRE(r.status == 303, r.body);
  BOOST_TEST(env.count("albums") == 1);
  BOOST_TEST(env.count("album_items") == 3);
  const std::string album_id = env.query("SELECT id FROM albums");
  BOOST_TEST(env.query("SELECT title FROM albums") == "Trip <to> \"the\" sea");
  BOOST_TEST(env.query("SELECT visibility FROM albums") == "unlisted", "the upload's visibility");
  BOOST_TEST(env.query("SELECT expires_at IS NULL FROM albums") == "t");
  BOOST_TEST(env.query("SELECT manage_token_hash IS NOT NULL FROM albums") == "t", "an anonymous album");
  BOOST_TEST(env.query("SELECT string_agg(i.original_filename, ',' ORDER BY x.position) FROM album_items x"
                       " JOIN images i ON i.seq = x.image_seq") == "first.png,second.png,third.png");

  // Two cookies for the result page alone: the delete tokens and the album's manage token.
  const auto cookies = cookies_of(r);
  BOOST_TEST_REQUIRE(cookies.size() == 2u);
  BOOST_TEST(cookies[1].starts_with("imghost_album=" + album_id + "."));
  const auto location = *header_of(r, "Location");
  const auto mine = get(env, location, {{"Cookie", cookies[0] + "; " + cookies[1]}});
  BOOST_TEST(mine.status == 200);
  BOOST_TEST(contains(mine.body, "href=\"/a/" + album_id + "\""), "the result page links to the album");
  BOOST_TEST(contains(mine.body, "Trip &lt;to&gt; &quot;the&quot; sea"), "the title is escaped");
  BOOST_TEST(contains(mine.body, "manage token"), "the creator's browser sees the manage token");
  BOOST_TEST(contains(mine.body, cookies[1].substr(cookies[1].find('.') + 1)));
  const auto others = get(env, location);
  BOOST_TEST(!contains(others.body, "/a/" + album_id), "the ids of every image of the album prove nothing");
  BOOST_TEST(!contains(others.body, "manage token"), "nobody else sees the token");
  const auto forged = get(env, location, {{"Cookie", "imghost_album=" + album_id + "." + std::string(32, 'a')}});
  BOOST_TEST(!contains(forged.body, "manage token"), "a token that does not match shows nothing");

  // The album's page: the images in their order, each with the codes of its own page.
  const auto page = get(env, "/a/" + album_id);
  BOOST_TEST_REQUIRE(page.status == 200, page.body);
  BOOST_TEST(contains(page.body, "<h1>Trip &lt;to&gt; &quot;the&quot; sea</h1>"));
  BOOST_TEST(contains(page.body, "3 images"));
  BOOST_TEST(at(page.body, "first.png") < at(page.body, "second.png"));
  BOOST_TEST(at(page.body, "second.png") < at(page.body, "third.png"));
  BOOST_TEST(contains(page.body, "value=\"/a/" + album_id + "\""), "the album's own link, ready to copy");
  const auto first_id = env.query("SELECT id FROM images WHERE original_filename = 'first.png'");
  for (const char* key :
       {"direct", "direct-thumb", "html", "html-thumb", "markdown", "markdown-thumb", "bbcode", "bbcode-thumb"})
    BOOST_TEST(contains(page.body, "<label for=\"code-" + first_id + "-" + key + "\">"), key);
  BOOST_TEST(contains(page.body, "noindex"), "an unlisted album stays out of search engines");
  BOOST_TEST(!contains(page.body, "expires in"), "it never expires");
}

BOOST_AUTO_TEST_CASE(a_refused_form_upload_leaves_no_album) {
  Env env;
  // A refused file: the request is refused before the transaction.
  auto bad = upload_request("/upload", {{"new_album", std::nullopt, "1"},
                                        {"file", "good.png", png_bytes(1)},
                                        {"file", "bad.png", "not an image at all"}});
  BOOST_TEST(env.run(bad).status == 415);
  BOOST_TEST(env.count("albums") == 0);
  BOOST_TEST(env.count("images") == 0);

  // A failure inside the transaction, after the album row is inserted (its items cannot
  // be): the album goes with the images and their files.
  env.query(
      "CREATE FUNCTION refuse() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'refused'; END $$;"
      "CREATE TRIGGER refuse BEFORE INSERT ON album_items FOR EACH ROW EXECUTE FUNCTION refuse()");
  auto failing = upload_request(
      "/upload", {{"new_album", std::nullopt, "1"}, {"file", "a.png", png_bytes(2)}, {"file", "b.png", png_bytes(3)}});
  const auto r = env.run(failing);
  BOOST_TEST(r.status == 503, r.body);
  BOOST_TEST(env.count("albums") == 0);
  BOOST_TEST(env.count("images") == 0);
  BOOST_TEST(env.count("blobs") == 0);
  BOOST_TEST(originals_in_store(env) == 0u, "the placed files are removed");

  // Bad album fields are 400 and store nothing.
  env.query("DROP TRIGGER refuse ON album_items");
  auto long_title = upload_request("/upload", {{"new_album", std::nullopt, "1"},
                                               {"album_title", std::nullopt, std::string(201, 'x')},
                                               {"file", "a.png", png_bytes(4)}});
  BOOST_TEST(env.run(long_title).status == 400);
  auto both = upload_request("/upload", {{"new_album", std::nullopt, "1"},
                                         {"album", std::nullopt, "abcdefghijklmnopqrst"},
                                         {"file", "a.png", png_bytes(4)}});
  BOOST_TEST(env.run(both).status == 400);
  BOOST_TEST(env.count("albums") == 0);
  BOOST_TEST(env.count("images") == 0);
  BOOST_TEST(originals_in_store(env) == 0u);

  // The API has no new_album: the field is ignored there, as any unknown field, and by
  // the form's route when it answers as the API (JSON: no page to show the album on).
  auto api = upload_request("/api/v1/images", {{"new_album", std::nullopt, "1"}, {"file", "a.png", png_bytes(5)}});
  BOOST_TEST(env.run(api).status == 201);
  auto as_api = upload_request("/upload", {{"new_album", std::nullopt, "1"}, {"file", "b.png", png_bytes(6)}},
                               {{"Accept", "application/json"}});
  BOOST_TEST(env.run(as_api).status == 201);
  BOOST_TEST(env.count("albums") == 0);
}

BOOST_AUTO_TEST_CASE(keep_for_sets_the_expiry_of_the_images_and_their_album) {
  Env env;
  auto never = upload_request("/upload", {{"expires_in", std::nullopt, ""}, {"file", "n.png", png_bytes(1)}});
  BOOST_TEST_REQUIRE(env.run(never).status == 303, "the form's \"never\" is an empty value");
  BOOST_TEST(env.query("SELECT expires_at IS NULL FROM images") == "t");

  auto form = upload_request("/upload", {{"expires_in", std::nullopt, "600"},
                                         {"new_album", std::nullopt, "on"},
                                         {"visibility", std::nullopt, "public"},
                                         {"file", "k.png", png_bytes(2)}});
  const auto r = env.run(form);
  BOOST_TEST_REQUIRE(r.status == 303, r.body);
  BOOST_TEST(env.query("SELECT visibility FROM albums") == "public");
  BOOST_TEST(env.query("SELECT i.expires_at = a.expires_at FROM images i, albums a WHERE i.original_filename = "
                       "'k.png'") == "t");
  const auto id = env.query("SELECT id FROM images WHERE original_filename = 'k.png'");
  const auto album_id = env.query("SELECT id FROM albums");
  const auto image = get(env, "/i/" + id);
  BOOST_TEST(contains(image.body, "expires in 10 minutes"), image.body);
  BOOST_TEST(contains(image.body, "href=\"/a/" + album_id + "\""), "a public album is linked from its images");
  const auto album = get(env, "/a/" + album_id);
  BOOST_TEST(contains(album.body, "This album <time"));
  BOOST_TEST(contains(album.body, "expires in 10 minutes"));

  auto bad = upload_request("/upload", {{"expires_in", std::nullopt, "soon"}, {"file", "x.png", png_bytes(3)}});
  BOOST_TEST(env.run(bad).status == 400);
  auto empty_api =
      upload_request("/api/v1/images", {{"expires_in", std::nullopt, ""}, {"file", "x.png", png_bytes(3)}});
  BOOST_TEST(env.run(empty_api).status == 400, "the API has no empty expires_in");
}

BOOST_AUTO_TEST_CASE(keep_for_offers_only_what_max_expires_in_allows) {
  Env env;
  auto& cfg = const_cast<imghost::Config&>(env.app().config());
  auto form = get(env, "/upload");
  for (const char* v : {"value=\"\"", "value=\"600\"", "value=\"3600\"", "value=\"86400\"", "value=\"604800\""})
    BOOST_TEST(contains(form.body, v), v);
  cfg.max_expires_in = 86400;
  form = get(env, "/");
  BOOST_TEST(contains(form.body, "value=\"86400\""));
  BOOST_TEST(!contains(form.body, "value=\"604800\""), "1 week is over the maximum");
  BOOST_TEST(contains(form.body, "name=\"new_album\""));
  BOOST_TEST(contains(form.body, "name=\"album_title\""));
}

BOOST_AUTO_TEST_CASE(album_pages_answer_404_and_410_as_the_sites_pages) {
  Env env;
  for (const std::string path : {"/a/abcdefghijklmnopqrst", "/a/not-an-id"}) {
    const auto r = get(env, path);
    BOOST_TEST(r.status == 404, path);
    BOOST_TEST(contains(r.body, "<h1>Not found</h1>"), path);
  }
  auto form = upload_request("/upload", {{"new_album", std::nullopt, "1"}, {"file", "a.png", png_bytes(1)}});
  BOOST_TEST_REQUIRE(env.run(form).status == 303);
  const auto id = env.query("SELECT id FROM albums");
  BOOST_TEST(get(env, "/a/" + id, {}, "after=x").status == 400);
  env.query("UPDATE albums SET expires_at = now() - interval '1 second'");
  const auto gone = get(env, "/a/" + id);
  BOOST_TEST(gone.status == 410);
  BOOST_TEST(contains(gone.body, "<h1>Gone</h1>"));
  BOOST_TEST(contains(gone.body, "expired"));
  const auto api = get(env, "/a/" + id, {{"Accept", "application/json"}});
  BOOST_TEST(json::parse(api.body)["error"]["code"] == "expired");
  env.query("UPDATE albums SET expires_at = NULL, status = 'deleting'");
  BOOST_TEST(get(env, "/a/" + id).status == 404, "an album being deleted is gone");
}

BOOST_AUTO_TEST_CASE(one_images_link_never_leads_to_the_rest_of_an_unlisted_album) {
  Env env;
  auto form = upload_request(
      "/upload",
      {{"new_album", std::nullopt, "1"}, {"file", "guest1.png", png_bytes(1)}, {"file", "guest2.png", png_bytes(2)}});
  const auto r = env.run(form);
  BOOST_TEST_REQUIRE(r.status == 303);
  const auto album_id = env.query("SELECT id FROM albums");
  const auto first = env.query("SELECT id FROM images WHERE original_filename = 'guest1.png'");
  BOOST_TEST(!contains(get(env, "/i/" + first).body, "/a/" + album_id), "the image page of an unlisted album's image");
  BOOST_TEST(!contains(get(env, "/uploaded/" + first).body, "/a/" + album_id), "a result page with one of two");
  const auto location = *header_of(r, "Location");
  BOOST_TEST(!contains(get(env, location).body, "/a/" + album_id), "the whole upload's page, without its cookies");
  const auto cookies = cookies_of(r);
  for (const auto& cookie : cookies)
    BOOST_TEST(contains(get(env, location, {{"Cookie", cookie}}).body, "/a/" + album_id), cookie);
  // An expired image is left out of its album's page.
  env.query("UPDATE images SET expires_at = now() - interval '1 second' WHERE original_filename = 'guest1.png'");
  const auto page = get(env, "/a/" + album_id);
  BOOST_TEST(!contains(page.body, "guest1.png"));
  BOOST_TEST(contains(page.body, "guest2.png"));
}

BOOST_AUTO_TEST_SUITE_END()
