#include <boost/test/unit_test.hpp>
#include <nlohmann/json.hpp>
#include <set>

#include "core/catalog.hpp"
#include "db/pg.hpp"
#include "domain/error.hpp"
#include "fixture.hpp"
#include "store/local_store.hpp"

using namespace imghost::testing;
using nlohmann::json;
namespace store = imghost::store;

namespace {

json upload_one(Env& env, int seed) {
  auto req = upload_request("/api/v1/images", {{"file", "i" + std::to_string(seed) + ".png", png_bytes(seed)},
                                               {"visibility", std::nullopt, "public"}});
  const auto r = env.run(req);
  BOOST_REQUIRE_MESSAGE(r.status == 201, r.body);
  return json::parse(r.body);
}

json get_json(Env& env, const std::string& path, const std::string& query, int status = 200) {
  StringRequest req("GET", path, query);
  const auto r = env.run(req);
  BOOST_TEST(r.status == status, path << "?" << query << ": " << r.body);
  return json::parse(r.body);
}

}  // namespace

BOOST_AUTO_TEST_SUITE(catalog)

BOOST_AUTO_TEST_CASE(pages_follow_the_cursor_newest_first_without_gaps_or_repeats) {
  Env env;
  std::vector<std::string> ids;
  for (int i = 0; i < 7; ++i) ids.push_back(upload_one(env, 100 + i)["id"]);
  std::vector<std::string> seen;
  std::string cursor;
  for (int page = 0; page < 10; ++page) {
    const auto r = get_json(env, "/api/v1/images", "limit=3" + (cursor.empty() ? "" : "&cursor=" + cursor));
    for (const auto& item : r["items"]) seen.push_back(item["id"]);
    if (r["next_cursor"].is_null()) break;
    cursor = r["next_cursor"];
  }
  const std::vector<std::string> newest_first(ids.rbegin(), ids.rend());
  BOOST_TEST(seen == newest_first, boost::test_tools::per_element());
  get_json(env, "/api/v1/images", "limit=0", 400);
  get_json(env, "/api/v1/images", "cursor=abc", 400);
}

BOOST_AUTO_TEST_CASE(an_image_is_found_by_any_of_its_possible_names_in_one_query) {
  Env env;
  const auto up = upload_one(env, 125);
  const std::string name = up["filename"];
  const std::string stem = name.substr(0, name.rfind('.'));
  const auto found =
      imghost::catalog::find_live_named_any(env.app(), {stem + ".jpg", stem + ".png", "not a name\"\\", stem + ".gif"});
  BOOST_TEST(found.id == std::string(up["id"]));
  BOOST_CHECK_THROW(imghost::catalog::find_live_named_any(env.app(), {stem + ".jpg", stem + ".gif"}), imghost::Error);
  BOOST_CHECK_THROW(imghost::catalog::find_live_named_any(env.app(), {}), imghost::Error);
}

BOOST_AUTO_TEST_CASE(one_image_and_its_file_link) {
  Env env;
  const auto up = upload_one(env, 120);
  const auto got = get_json(env, "/api/v1/images/" + std::string(up["id"]), "");
  BOOST_TEST(got["filename"] == up["filename"]);
  BOOST_TEST(!got.contains("delete_token"), "the token is shown once, at upload");
  StringRequest file("GET", "/api/v1/images/" + std::string(up["id"]) + "/file");
  const auto r = env.run(file);
  BOOST_TEST(*header_of(r, "X-Accel-Redirect") == "/_store/" + std::string(up["filename"]));
  get_json(env, "/api/v1/images/abcdefghijklmnopqrst", "", 404);
}

// A delete takes the image's own name at once, even when another upload has the same
// bytes (under its own name); the blob goes with the last of them.
BOOST_AUTO_TEST_CASE(delete_needs_the_token_and_takes_its_own_name_only) {
  Env env;
  const auto a = upload_one(env, 130);
  auto again = upload_request("/api/v1/images", {{"file", "same.png", png_bytes(130)}});
  const auto b = json::parse(env.run(again).body);
  const std::string name = a["filename"], other = b["filename"];
  const store::LocalStore s(env.store_dir());

  StringRequest wrong("DELETE", "/api/v1/images/" + std::string(a["id"]), "",
                      {{"X-Delete-Token", std::string(32, 'a')}});
  BOOST_TEST(env.run(wrong).status == 403);
  StringRequest right_a("DELETE", "/api/v1/images/" + std::string(a["id"]), "",
                        {{"X-Delete-Token", a["delete_token"]}});
  BOOST_TEST(env.run(right_a).status == 204);
  BOOST_TEST(!s.read(store::Object::original, name).has_value(), "a's link is gone at once");
  BOOST_TEST(!s.read(store::Object::thumbnail, name).has_value());
  BOOST_TEST(s.read(store::Object::original, other).has_value(), "b keeps its own");
  BOOST_TEST(env.count("blobs") == 1);
  StringRequest right_b("DELETE", "/api/v1/images/" + std::string(b["id"]), "",
                        {{"X-Delete-Token", b["delete_token"]}});
  BOOST_TEST(env.run(right_b).status == 204);
  BOOST_TEST(!s.read(store::Object::original, other).has_value());
  BOOST_TEST(!s.read(store::Object::thumbnail, other).has_value());
  BOOST_TEST(env.count("blobs") == 0);
  BOOST_TEST(env.run(right_b).status == 404);
}

BOOST_AUTO_TEST_CASE(the_browser_delete_link_shows_on_get_and_head_and_deletes_on_post) {
  Env env;
  const auto up = upload_one(env, 140);
  const std::string path = "/delete/" + std::string(up["id"]);
  const std::string query = "token=" + std::string(up["delete_token"]);
  for (const char* method : {"GET", "HEAD"}) {
    StringRequest look(method, path, query);
    BOOST_TEST(env.run(look).status == 200);
    BOOST_TEST(env.count("images") == 1, method << " deleted nothing");
  }
  StringRequest post("POST", path, query);
  BOOST_TEST(env.run(post).status == 200);
  BOOST_TEST(env.count("images") == 0);
}

BOOST_AUTO_TEST_CASE(routing_answers_404_and_405_from_the_table) {
  Env env;
  StringRequest none("GET", "/api/v1/nothing");
  BOOST_TEST(env.run(none).status == 404);
  StringRequest put("PUT", "/api/v1/images");
  const auto r = env.run(put);
  BOOST_TEST(r.status == 405);
  BOOST_TEST(json::parse(r.body)["error"]["code"] == "method_not_allowed");
  StringRequest page("GET", "/no-such-page");
  const auto p = env.run(page);
  BOOST_TEST(p.status == 404);
  BOOST_TEST(header_of(p, "Content-Type")->find("text/html") == 0u, "a browser gets a page");
  StringRequest health("GET", "/api/v1/health");
  BOOST_TEST(env.run(health).status == 200);
}

// The catalog's pages read public rows only, whatever lies on top of them.  After an
// upgrade every older image is public and the new ones are unlisted by default, all at
// the newest end: a plan that walks the primary key and filters would read every one of
// them for each page.  The plan of the prepared statements the worker runs must walk the
// index of public rows (sql/003), with no filter but expiry's (sql/006).
BOOST_AUTO_TEST_CASE(catalog_pages_never_walk_the_unlisted_rows) {
  Env env;
  env.query(
      "INSERT INTO blobs (sha256, name, size, format, width, height)"
      " SELECT sha256(('b' || g)::bytea), 'zzzz' || translate(lpad(g::text, 16, '0'), '0123456789', 'abcdefghij')"
      " || '.jpg', 1000, 'jpeg', 10, 10 FROM generate_series(1, 21000) g");
  env.query(
      "INSERT INTO images (id, sha256, original_filename, delete_token_hash, visibility, name, size, format, width,"
      " height)"
      " SELECT 'yyyy' || translate(lpad(g::text, 16, '0'), '0123456789', 'abcdefghij'), sha256(('b' || g)::bytea),"
      " 'p.jpg', sha256(('t' || g)::bytea), CASE WHEN g > 20000 THEN 'unlisted' ELSE 'public' END,"
      " 'zzzz' || translate(lpad(g::text, 16, '0'), '0123456789', 'abcdefghij') || '.jpg', 1000, 'jpeg', 10, 10"
      " FROM generate_series(1, 21000) g ORDER BY g");
  env.query("ANALYZE images");
  env.query("ANALYZE blobs");
  const auto first = get_json(env, "/api/v1/images", "limit=20");
  BOOST_TEST_REQUIRE(first["items"].size() == 20u);
  BOOST_TEST(first["items"][0]["id"] == "yyyyaaaaaaaaaaacaaaa");  // row 20000: the newest public one
  const std::string cursor = first["next_cursor"];
  BOOST_TEST(get_json(env, "/api/v1/images", "limit=20&cursor=" + cursor)["items"].size() == 20u);
  // The cursor is sealed: the keyset position it stands for is the last item's seq.
  const std::string last_id = first["items"][19]["id"];
  const std::string before = env.query("SELECT seq FROM images WHERE id = '" + last_id + "'");
  for (const std::string& explain : {std::string("EXPLAIN EXECUTE list_public_first(21)"),
                                     "EXPLAIN EXECUTE list_public_before(" + before + ", 21)"}) {
    BOOST_TEST_CONTEXT(explain) {
      const auto r = env.app().db().exec(explain);
      std::string plan;
      for (int i = 0; i < r.rows(); ++i) plan += std::string(r.get(i, 0)) + "\n";
      BOOST_TEST(plan.find("images_public_newest") != std::string::npos, plan);
      // The one filter allowed is expiry's: expired rows are public rows that the cleanup
      // removes within expire_interval, never the unlisted ones.
      std::size_t at = 0;
      while ((at = plan.find("Filter", at)) != std::string::npos) {
        const auto line = plan.substr(at, plan.find('\n', at) - at);
        BOOST_TEST(line == "Filter: ((expires_at <= now()) IS NOT TRUE)", plan);
        ++at;
      }
    }
  }
}

// PostgreSQL would plan a prepared statement whose LIMIT is a parameter afresh on every
// execution (its generic plan guesses 10% of the table); planning cost the catalog's page
// twice its execution.  The worker's connection asks for one plan per statement.
BOOST_AUTO_TEST_CASE(the_worker_plans_each_catalog_statement_once) {
  Env env;
  upload_one(env, 130);
  for (int i = 0; i < 8; ++i) BOOST_TEST(get_json(env, "/api/v1/images", "limit=5")["items"].size() == 1u);
  auto& conn = env.app().db();
  const auto plans =
      conn.exec("SELECT generic_plans, custom_plans FROM pg_prepared_statements WHERE name = 'list_public_first'");
  BOOST_TEST_REQUIRE(plans.rows() == 1);
  BOOST_TEST(std::string(plans.get(0, 0)) == "8");
  BOOST_TEST(std::string(plans.get(0, 1)) == "0");
  BOOST_TEST(std::string(conn.exec("SHOW max_parallel_workers_per_gather").get(0, 0)) == "0");
  BOOST_TEST(std::string(conn.exec("SHOW jit").get(0, 0)) == "off");
}

BOOST_AUTO_TEST_SUITE_END()
