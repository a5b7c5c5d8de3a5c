// Albums and expiry through handle() and the albums repository, against a real
// PostgreSQL and store: creating albums and their bad input, who may upload into one,
// max_items held in the upload's transaction (also by two transactions at once), closed
// and expired albums, expires_in on uploads and the 410 of an expired image.
#include <boost/test/unit_test.hpp>
#include <chrono>
#include <fstream>
#include <future>
#include <iterator>
#include <memory>
#include <nlohmann/json.hpp>
#include <thread>

#include "core/cleanup.hpp"
#include "db/albums_repo.hpp"
#include "db/pg.hpp"
#include "fixture.hpp"
#include "store/local_store.hpp"

using namespace imghost::testing;
using nlohmann::json;
namespace db = imghost::db;
namespace store = imghost::store;

namespace {

// Creates an anonymous album; returns its JSON (with manage_token).
json new_album(Env& env, const json& body) {
  auto req = json_post("/api/v1/albums", body);
  const auto r = env.run(req);
  BOOST_TEST_REQUIRE(r.status == 201, r.body);
  return json::parse(r.body);
}

imghost::http::Response upload_into(Env& env, const json& album, std::vector<FormField> fields,
                                    const std::string& token) {
  std::map<std::string, std::string> headers;
  if (!token.empty()) headers["X-Manage-Token"] = token;
  auto req = upload_request("/api/v1/albums/" + std::string(album["id"]) + "/images", fields, std::move(headers));
  return env.run(req);
}

json get_json(Env& env, const std::string& path, int expected_status) {
  StringRequest req("GET", path);
  const auto r = env.run(req);
  BOOST_TEST_REQUIRE(r.status == expected_status, r.body);
  return json::parse(r.body);
}

std::string log_text(const Env& env) {
  std::ifstream in(env.config().log_file);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

}  // namespace

BOOST_AUTO_TEST_SUITE(albums)

BOOST_AUTO_TEST_CASE(an_anonymous_album_is_created_with_a_manage_token_shown_once) {
  Env env;
  const auto a = new_album(env, {{"title", "Booth 3"}, {"max_items", 5}, {"visibility", "public"}});
  BOOST_TEST(a["status"] == "open");
  BOOST_TEST(a["title"] == "Booth 3");
  BOOST_TEST(a["max_items"] == 5);
  BOOST_TEST(a["item_count"] == 0);
  BOOST_TEST(a["expires_at"].is_null());
  BOOST_TEST(a["url"] == "/a/" + std::string(a["id"]));
  BOOST_TEST(std::string(a["manage_token"]).size() == 32u);
  const auto again = get_json(env, "/api/v1/albums/" + std::string(a["id"]), 200);
  BOOST_TEST(!again.contains("manage_token"), "the token is shown once");
  BOOST_TEST(again["id"] == a["id"]);
  BOOST_TEST(env.query("SELECT manage_token_hash IS NOT NULL FROM albums") == "t");
}

BOOST_AUTO_TEST_CASE(bad_album_requests_are_400_and_create_nothing) {
  Env env;
  const json bad[] = {
      {{"max_items", 0}},
      {{"max_items", 10000}},
      {{"max_items", "5"}},
      {{"expires_in", 0}},
      {{"expires_in", -60}},
      {{"expires_in", 59}},
      {{"expires_in", "soon"}},
      {{"expires_in", 1.5}},
      {{"expires_in", 99999999}},
      {{"visibility", "secret"}},
      {{"title", std::string(201, 'x')}},
      {{"unknown", 1}},
  };
  for (const auto& body : bad) {
    BOOST_TEST_CONTEXT(body.dump()) {
      auto req = json_post("/api/v1/albums", body);
      const auto r = env.run(req);
      BOOST_TEST(r.status == 400, r.body);
    }
  }
  BOOST_TEST(env.count("albums") == 0);
}

BOOST_AUTO_TEST_CASE(unknown_and_malformed_albums_are_404) {
  Env env;
  get_json(env, "/api/v1/albums/abcdefghijklmnopqrst", 404);
  get_json(env, "/api/v1/albums/not-an-id", 404);
  const auto r = upload_into(env, json{{"id", "abcdefghijklmnopqrst"}}, {{"file", "a.png", png_bytes(1)}}, "");
  BOOST_TEST(r.status == 404, r.body);
  BOOST_TEST(env.count("images") == 0);
}

BOOST_AUTO_TEST_CASE(uploads_into_an_anonymous_album_need_its_manage_token) {
  Env env;
  const auto a = new_album(env, json::object());
  const std::string token = a["manage_token"];
  auto r = upload_into(env, a, {{"file", "a.png", png_bytes(1)}}, "");
  BOOST_TEST(r.status == 403, r.body);
  r = upload_into(env, a, {{"file", "a.png", png_bytes(1)}}, "wrong-token");
  BOOST_TEST(r.status == 403, r.body);
  BOOST_TEST(env.count("images") == 0);
  BOOST_TEST(originals_in_store(env) == 0u);

  r = upload_into(env, a, {{"file", "a.png", png_bytes(1)}}, token);
  BOOST_TEST_REQUIRE(r.status == 201, r.body);
  // The token may also come as a form field, and the upload route with field `album`.
  r = upload_into(env, a, {{"manage_token", std::nullopt, token}, {"file", "b.png", png_bytes(2)}}, "");
  BOOST_TEST_REQUIRE(r.status == 201, r.body);
  auto req = upload_request("/api/v1/images", {{"album", std::nullopt, std::string(a["id"])},
                                               {"manage_token", std::nullopt, token},
                                               {"file", "c.png", png_bytes(3)}});
  r = env.run(req);
  BOOST_TEST_REQUIRE(r.status == 201, r.body);
  const auto got = get_json(env, "/api/v1/albums/" + std::string(a["id"]), 200);
  BOOST_TEST(got["item_count"] == 3);
  // In the order they were uploaded.
  BOOST_TEST(env.query("SELECT string_agg(i.original_filename, ',' ORDER BY x.position)"
                       " FROM album_items x JOIN images i ON i.seq = x.image_seq") == "a.png,b.png,c.png");
}

// An upload that passes the early check (one item of two) but would make three: the
// transaction's count refuses it, and nothing of it stays.
BOOST_AUTO_TEST_CASE(max_items_is_judged_in_the_uploads_transaction) {
  Env env;
  const auto a = new_album(env, {{"max_items", 2}});
  const std::string token = a["manage_token"];
  BOOST_TEST_REQUIRE(upload_into(env, a, {{"file", "a.png", png_bytes(1)}}, token).status == 201);
  const auto r = upload_into(env, a, {{"file", "b.png", png_bytes(2)}, {"file", "c.png", png_bytes(3)}}, token);
  BOOST_TEST(r.status == 409, r.body);
  BOOST_TEST(error_code(r) == "album_full");
  BOOST_TEST(env.count("images") == 1);
  BOOST_TEST(env.count("blobs") == 1);
  BOOST_TEST(env.count("album_items") == 1);
  BOOST_TEST(originals_in_store(env) == 1u, "the refused upload's placed files were removed");

  BOOST_TEST_REQUIRE(upload_into(env, a, {{"file", "b.png", png_bytes(2)}}, token).status == 201);
  const auto full = upload_into(env, a, {{"file", "d.png", png_bytes(4)}}, token);
  BOOST_TEST(full.status == 409, full.body);
  BOOST_TEST(error_code(full) == "album_full");
  BOOST_TEST(env.count("album_items") == 2);
}

// Two transactions append to an album of one at once, as two workers would: the second
// waits for the first's row lock, then counts its item (a fresh snapshot) and sees 2.
BOOST_AUTO_TEST_CASE(a_second_upload_waits_for_the_album_row_and_counts_the_first) {
  Env env;
  const auto a = new_album(env, {{"max_items", 1}});
  for (int seed : {1, 2}) {
    auto req = upload_request("/api/v1/images", {{"file", "x.png", png_bytes(seed)}});
    BOOST_TEST_REQUIRE(env.run(req).status == 201);
  }
  const long long album_seq = std::stoll(env.query("SELECT seq FROM albums"));
  const long long first = std::stoll(env.query("SELECT min(seq) FROM images"));
  const long long second = std::stoll(env.query("SELECT max(seq) FROM images"));

  db::Connection ca(env.config().database), cb(env.config().database);
  db::Transaction ta(ca);
  db::AlbumsRepo ra(ca);
  BOOST_TEST_REQUIRE(ra.lock_row(album_seq).has_value());
  BOOST_TEST(ra.append_items(album_seq, {first}).item_count == 1);

  auto other = std::async(std::launch::async, [&] {
    db::Transaction tb(cb);
    db::AlbumsRepo rb(cb);
    const auto gate = rb.lock_row(album_seq);  // waits for ta's COMMIT
    const auto count = rb.append_items(album_seq, {second}).item_count;
    return std::make_pair(gate.has_value(), count);
  });
  // Give the other transaction time to reach the lock (if it has not, it still must
  // see the first item once it runs: the result is the same either way).
  std::this_thread::sleep_for(std::chrono::milliseconds(200));
  ta.commit();
  const auto [found, count] = other.get();
  BOOST_TEST(found);
  BOOST_TEST(count == 2, "the second counts the first's committed item, so max_items 1 refuses it");
}

BOOST_AUTO_TEST_CASE(a_closed_album_is_409_conflict_and_an_expired_one_410) {
  Env env;
  const auto a = new_album(env, {{"expires_in", 600}});
  const std::string token = a["manage_token"];
  BOOST_TEST(!a["expires_at"].is_null());
  env.query("UPDATE albums SET status = 'closed'");
  auto r = upload_into(env, a, {{"file", "a.png", png_bytes(1)}}, token);
  BOOST_TEST(r.status == 409, r.body);
  BOOST_TEST(error_code(r) == "conflict");

  env.query("UPDATE albums SET status = 'open', expires_at = now() - interval '1 second'");
  r = upload_into(env, a, {{"file", "a.png", png_bytes(1)}}, token);
  BOOST_TEST(r.status == 410, r.body);
  BOOST_TEST(error_code(r) == "expired");
  const auto got = get_json(env, "/api/v1/albums/" + std::string(a["id"]), 410);
  BOOST_TEST(got["error"]["code"] == "expired");

  env.query("UPDATE albums SET status = 'deleting', expires_at = NULL");
  get_json(env, "/api/v1/albums/" + std::string(a["id"]), 404);
  BOOST_TEST(env.count("images") == 0);
}

// DELETE of an album: its manager only; its images go, a file shared by deduplication
// with an image outside the album stays.
BOOST_AUTO_TEST_CASE(deleting_an_album_takes_its_images_and_keeps_shared_files) {
  Env env;
  const auto a = new_album(env, json::object());
  const std::string token = a["manage_token"];
  const auto shared = png_bytes(7);
  auto outside = upload_request("/api/v1/images", {{"file", "outside.png", shared}});
  const auto kept = json::parse(env.run(outside).body);
  BOOST_TEST_REQUIRE(upload_into(env, a, {{"file", "a.png", shared}, {"file", "b.png", png_bytes(8)}}, token).status ==
                     201);
  const std::string path = "/api/v1/albums/" + std::string(a["id"]);
  StringRequest no_token("DELETE", path);
  BOOST_TEST(env.run(no_token).status == 403);
  StringRequest wrong("DELETE", path, "", {{"X-Manage-Token", "wrong"}});
  BOOST_TEST(env.run(wrong).status == 403);
  BOOST_TEST(env.count("images") == 3);

  StringRequest right("DELETE", path, "", {{"X-Manage-Token", token}});
  const auto r = env.run(right);
  BOOST_TEST(r.status == 204, r.body);
  BOOST_TEST(env.count("albums") == 0);
  BOOST_TEST(env.count("images") == 1);
  BOOST_TEST(env.count("removals") == 0);
  BOOST_TEST(originals_in_store(env) == 1u);
  get_json(env, "/api/v1/images/" + std::string(kept["id"]), 200);
  StringRequest again("DELETE", path, "", {{"X-Manage-Token", token}});
  BOOST_TEST(env.run(again).status == 404);
}

BOOST_AUTO_TEST_SUITE_END()

// Lists, the album's images, and PATCH.
BOOST_AUTO_TEST_SUITE(album_api)

namespace {

StringRequest json_request(const std::string& method, const std::string& path, const json& body,
                           std::map<std::string, std::string> headers = {}) {
  headers["Content-Type"] = "application/json";
  return StringRequest(method, path, "", std::move(headers), body.dump());
}

imghost::http::Response patch(Env& env, const json& album, const json& body, const std::string& token) {
  std::map<std::string, std::string> headers;
  if (!token.empty()) headers["X-Manage-Token"] = token;
  auto req = json_request("PATCH", "/api/v1/albums/" + std::string(album["id"]), body, std::move(headers));
  return env.run(req);
}

json get_query(Env& env, const std::string& path, const std::string& query, int expected_status,
               std::map<std::string, std::string> headers = {}) {
  StringRequest req("GET", path, query, std::move(headers));
  const auto r = env.run(req);
  BOOST_TEST_REQUIRE(r.status == expected_status, path << "?" << query << ": " << r.body);
  return json::parse(r.body);
}

// An album holding `n` images: (album JSON with manage_token, image ids in upload order).
std::pair<json, std::vector<std::string>> album_with(Env& env, int n, int seed, const json& body = json::object()) {
  auto a = new_album(env, body);
  std::vector<FormField> files;
  for (int i = 0; i < n; ++i) files.push_back({"file", "f" + std::to_string(i) + ".png", png_bytes(seed + i)});
  const auto r = upload_into(env, a, files, a["manage_token"]);
  BOOST_TEST_REQUIRE(r.status == 201, r.body);
  const auto j = json::parse(r.body);
  std::vector<std::string> ids;
  if (n == 1)
    ids.push_back(j["id"]);
  else
    for (const auto& item : j["items"]) ids.push_back(item["id"]);
  return {a, ids};
}

std::vector<std::string> ids_of(const json& page) {
  std::vector<std::string> out;
  for (const auto& item : page["items"]) out.push_back(item["id"]);
  return out;
}

std::vector<std::string> album_order(Env& env, const json& album) {
  return ids_of(get_query(env, "/api/v1/albums/" + std::string(album["id"]) + "/images", "limit=100", 200));
}

}  // namespace

BOOST_AUTO_TEST_CASE(the_album_list_is_public_albums_newest_first_in_pages) {
  Env env;
  const auto first = new_album(env, {{"visibility", "public"}, {"title", "first"}});
  new_album(env, {{"visibility", "unlisted"}});
  const auto second = new_album(env, {{"visibility", "public"}, {"title", "second"}});
  const auto expired = new_album(env, {{"visibility", "public"}, {"expires_in", 600}});
  const auto deleting = new_album(env, {{"visibility", "public"}});
  const auto third = new_album(env, {{"visibility", "public"}, {"title", "third"}});
  env.query("UPDATE albums SET expires_at = now() - interval '1 second' WHERE id = '" + std::string(expired["id"]) +
            "'");
  env.query("UPDATE albums SET status = 'deleting' WHERE id = '" + std::string(deleting["id"]) + "'");

  const auto page1 = get_query(env, "/api/v1/albums", "limit=2", 200);
  BOOST_TEST(ids_of(page1) == (std::vector<std::string>{third["id"], second["id"]}));
  BOOST_TEST_REQUIRE(page1["next_cursor"].is_string());
  BOOST_TEST(page1["items"][0]["title"] == "third");
  BOOST_TEST(!page1["items"][0].contains("manage_token"), "never listed");
  BOOST_TEST(page1["items"][0]["status"] == "open");
  const auto page2 = get_query(env, "/api/v1/albums", "limit=2&cursor=" + std::string(page1["next_cursor"]), 200);
  BOOST_TEST(ids_of(page2) == (std::vector<std::string>{first["id"]}));
  BOOST_TEST(page2["next_cursor"].is_null());
  BOOST_TEST(get_query(env, "/api/v1/albums", "", 200)["items"].size() == 3u);
  BOOST_TEST(get_query(env, "/api/v1/albums", "mine=0", 200)["items"].size() == 3u);

  for (const std::string q : {"limit=0", "limit=101", "limit=abc", "limit=", "limit=-1", "cursor=abc", "cursor=-5",
                              "cursor=0", "cursor=1x", "mine=yes", "mine=2"}) {
    BOOST_TEST_CONTEXT(q) {
      const auto r = get_query(env, "/api/v1/albums", q, 400);
      BOOST_TEST(r["error"]["code"] == "bad_request");
    }
  }
}

BOOST_AUTO_TEST_CASE(mine_lists_the_accounts_own_albums_and_needs_an_account) {
  Env env;
  const auto ann = signup(env, "ann"), bob = signup(env, "bob");
  auto create_as = [&](const std::string& token, const json& body) {
    auto req = json_post("/api/v1/albums", body, {{"Authorization", "Bearer " + token}});
    const auto r = env.run(req);
    BOOST_TEST_REQUIRE(r.status == 201, r.body);
    return json::parse(r.body);
  };
  const auto unlisted = create_as(ann, {{"visibility", "unlisted"}});
  const auto open = create_as(ann, {{"visibility", "public"}});
  create_as(bob, {{"visibility", "public"}});
  new_album(env, {{"visibility", "public"}});

  BOOST_TEST(get_query(env, "/api/v1/albums", "mine=1", 401)["error"]["code"] == "unauthorized");
  BOOST_TEST(get_query(env, "/api/v1/albums", "mine=1&limit=0", 401)["error"]["code"] == "unauthorized");
  const std::map<std::string, std::string> auth{{"Authorization", "Bearer " + ann}};
  const auto mine = get_query(env, "/api/v1/albums", "mine=1", 200, auth);
  BOOST_TEST(ids_of(mine) == (std::vector<std::string>{open["id"], unlisted["id"]}));
  BOOST_TEST(mine["items"][0]["owner"] == "ann");
  const auto page1 = get_query(env, "/api/v1/albums", "mine=1&limit=1", 200, auth);
  BOOST_TEST(ids_of(page1) == (std::vector<std::string>{open["id"]}));
  const auto page2 =
      get_query(env, "/api/v1/albums", "mine=1&limit=1&cursor=" + std::string(page1["next_cursor"]), 200, auth);
  BOOST_TEST(ids_of(page2) == (std::vector<std::string>{unlisted["id"]}));
  BOOST_TEST(page2["next_cursor"].is_null());
  get_query(env, "/api/v1/albums", "mine=1&cursor=zz", 400, auth);
  // The public list has everyone's public albums, without ann's unlisted one.
  BOOST_TEST(get_query(env, "/api/v1/albums", "", 200, auth)["items"].size() == 3u);
}

BOOST_AUTO_TEST_CASE(an_albums_images_come_in_order_in_pages) {
  Env env;
  const auto [a, ids] = album_with(env, 4, 10);
  const std::string path = "/api/v1/albums/" + std::string(a["id"]) + "/images";
  const auto page1 = get_query(env, path, "limit=3", 200);
  BOOST_TEST(ids_of(page1) == (std::vector<std::string>{ids[0], ids[1], ids[2]}));
  BOOST_TEST_REQUIRE(page1["next_cursor"].is_string());
  BOOST_TEST(page1["items"][0].contains("sha256"), "image objects, as the catalog's");
  BOOST_TEST(!page1["items"][0].contains("delete_token"));
  const auto page2 = get_query(env, path, "limit=3&cursor=" + std::string(page1["next_cursor"]), 200);
  BOOST_TEST(ids_of(page2) == (std::vector<std::string>{ids[3]}));
  BOOST_TEST(page2["next_cursor"].is_null());
  // An image that expired is left out (the cleanup has not removed it yet).
  env.query("UPDATE images SET expires_at = now() - interval '1 second' WHERE id = '" + ids[1] + "'");
  BOOST_TEST(ids_of(get_query(env, path, "", 200)) == (std::vector<std::string>{ids[0], ids[2], ids[3]}));

  for (const std::string q : {"limit=0", "limit=1000", "cursor=x", "cursor=0"}) BOOST_TEST_CONTEXT(q) {
      get_query(env, path, q, 400);
    }
  get_query(env, "/api/v1/albums/abcdefghijklmnopqrst/images", "", 404);
  get_query(env, "/api/v1/albums/nope/images", "", 404);
  env.query("UPDATE albums SET expires_at = now() - interval '1 second'");
  BOOST_TEST(get_query(env, path, "", 410)["error"]["code"] == "expired");
  env.query("UPDATE albums SET expires_at = NULL, status = 'deleting'");
  get_query(env, path, "", 404);
}

BOOST_AUTO_TEST_CASE(patch_changes_title_description_cover_and_order_and_closes) {
  Env env;
  const auto [a, ids] = album_with(env, 3, 20, {{"title", "old"}, {"description", "old text"}});
  const std::string token = a["manage_token"];
  auto r = patch(env, a, {{"title", "New title"}, {"description", "about it"}, {"cover", ids[2]}}, token);
  BOOST_TEST_REQUIRE(r.status == 200, r.body);
  auto got = json::parse(r.body);
  BOOST_TEST(got["title"] == "New title");
  BOOST_TEST(got["description"] == "about it");
  BOOST_TEST(got["cover"] == ids[2]);
  BOOST_TEST(got["status"] == "open");
  BOOST_TEST(got["item_count"] == 3);
  BOOST_TEST(!got.contains("manage_token"));

  // A swap of the first two and the last moved first: one statement rewrites them all.
  r = patch(env, a, {{"order", {ids[2], ids[1], ids[0]}}}, token);
  BOOST_TEST_REQUIRE(r.status == 200, r.body);
  BOOST_TEST(album_order(env, a) == (std::vector<std::string>{ids[2], ids[1], ids[0]}));
  r = patch(env, a, {{"order", {ids[1], ids[2], ids[0]}}}, token);
  BOOST_TEST_REQUIRE(r.status == 200, r.body);
  BOOST_TEST(album_order(env, a) == (std::vector<std::string>{ids[1], ids[2], ids[0]}));
  BOOST_TEST(env.query("SELECT string_agg(position::text, ',' ORDER BY position) FROM album_items") == "1,2,3");

  // null clears; a blank title is no title; an empty body changes nothing.
  r = patch(env, a, {{"description", nullptr}, {"cover", nullptr}, {"title", "  "}}, token);
  BOOST_TEST_REQUIRE(r.status == 200, r.body);
  got = json::parse(r.body);
  BOOST_TEST(got["description"].is_null());
  BOOST_TEST(got["cover"].is_null());
  BOOST_TEST(got["title"].is_null());
  r = patch(env, a, json::object(), token);
  BOOST_TEST_REQUIRE(r.status == 200, r.body);

  // Closing: no more uploads (409 conflict), and it stays closed.
  r = patch(env, a, {{"status", "closed"}}, token);
  BOOST_TEST_REQUIRE(r.status == 200, r.body);
  BOOST_TEST(json::parse(r.body)["status"] == "closed");
  BOOST_TEST(get_json(env, "/api/v1/albums/" + std::string(a["id"]), 200)["status"] == "closed");
  const auto refused = upload_into(env, a, {{"file", "late.png", png_bytes(99)}}, token);
  BOOST_TEST(refused.status == 409, refused.body);
  BOOST_TEST(error_code(refused) == "conflict");
  BOOST_TEST(env.count("images") == 3);
  BOOST_TEST(originals_in_store(env) == 3u);
  // A closed album can still be edited (its order, its title).
  r = patch(env, a, {{"order", {ids[0], ids[1], ids[2]}}, {"status", "closed"}}, token);
  BOOST_TEST_REQUIRE(r.status == 200, r.body);
  BOOST_TEST(album_order(env, a) == (std::vector<std::string>{ids[0], ids[1], ids[2]}));
  BOOST_TEST(log_text(env).find("Success: album " + std::string(a["id"]) + " edited.") != std::string::npos);
}

// Every refused PATCH is 400, 403, 404 or 410 with the contract's code, and changes
// nothing: not the title, not the order, not the cover, not the status.
BOOST_AUTO_TEST_CASE(bad_patches_are_refused_and_change_nothing) {
  Env env;
  const auto [a, ids] = album_with(env, 3, 30, {{"title", "kept"}});
  const auto [other, other_ids] = album_with(env, 1, 40);
  const std::string token = a["manage_token"];
  auto loose = upload_request("/api/v1/images", {{"file", "loose.png", png_bytes(50)}});
  const std::string loose_id = json::parse(env.run(loose).body)["id"];

  const json bad[] = {
      {{"order", {ids[0], ids[1], other_ids[0]}}},            // an image of another album
      {{"order", {ids[0], ids[1], ids[2], loose_id}}},        // an image in no album
      {{"order", {ids[0], ids[1], "abcdefghijklmnopqrst"}}},  // no such image
      {{"order", {ids[0], ids[1], ids[1]}}},                  // one twice
      {{"order", {ids[0], ids[1], ids[2], ids[0]}}},          // one twice, all named
      {{"order", {ids[1], ids[0]}}},                          // one left out
      {{"order", json::array()}},                             // all left out
      {{"order", ids[0]}},                                    // not a list
      {{"order", {1, 2, 3}}},                                 // not ids
      {{"cover", other_ids[0]}},                              // from another album
      {{"cover", loose_id}},                                  // in no album
      {{"cover", 5}},
      {{"status", "open"}},
      {{"status", "expired"}},
      {{"status", "deleting"}},
      {{"status", nullptr}},
      {{"status", true}},
      {{"title", std::string(201, 'x')}},
      {{"title", 7}},
      {{"description", std::string(1001, 'x')}},
      {{"max_items", 5}},
      {{"visibility", "public"}},
      {{"title", "changed"}, {"order", {ids[0]}}},  // all or nothing: the title stays too
  };
  for (const auto& body : bad) {
    BOOST_TEST_CONTEXT(body.dump()) {
      const auto r = patch(env, a, body, token);
      BOOST_TEST(r.status == 400, r.body);
      BOOST_TEST(error_code(r) == "bad_request");
    }
  }
  auto malformed = StringRequest("PATCH", "/api/v1/albums/" + std::string(a["id"]), "",
                                 {{"Content-Type", "application/json"}, {"X-Manage-Token", token}}, "{\"order\": [");
  BOOST_TEST(env.run(malformed).status == 400);

  // Who may: not without the token, not with a wrong one, not with another album's.
  for (const std::string& t : std::vector<std::string>{"", "wrong-token", other["manage_token"]}) {
    BOOST_TEST_CONTEXT(t) {
      const auto r = patch(env, a, {{"title", "stolen"}, {"status", "closed"}}, t);
      BOOST_TEST(r.status == 403, r.body);
      BOOST_TEST(error_code(r) == "forbidden");
    }
  }
  const auto got = get_json(env, "/api/v1/albums/" + std::string(a["id"]), 200);
  BOOST_TEST(got["title"] == "kept");
  BOOST_TEST(got["status"] == "open");
  BOOST_TEST(got["cover"].is_null());
  BOOST_TEST(album_order(env, a) == ids);

  // Unknown: 404; expired: 410 (even for its manager); being deleted: 404.
  json unknown = {{"id", "abcdefghijklmnopqrst"}};
  BOOST_TEST(patch(env, unknown, {{"title", "x"}}, token).status == 404);
  env.query("UPDATE albums SET expires_at = now() - interval '1 second' WHERE id = '" + std::string(a["id"]) + "'");
  auto r = patch(env, a, {{"title", "late"}}, token);
  BOOST_TEST(r.status == 410, r.body);
  BOOST_TEST(error_code(r) == "expired");
  r = patch(env, a, {{"order", {ids[2], ids[1], ids[0]}}}, token);
  BOOST_TEST(r.status == 410, r.body);
  env.query("UPDATE albums SET expires_at = NULL, status = 'deleting' WHERE id = '" + std::string(a["id"]) + "'");
  BOOST_TEST(patch(env, a, {{"title", "late"}}, token).status == 404);
  BOOST_TEST(env.query("SELECT title FROM albums WHERE id = '" + std::string(a["id"]) + "'") == "kept");
}

// A PATCH takes the album's row lock as an upload does: while an upload into the album
// holds it (its item appended, not committed), an order naming the items before it waits,
// then sees the new item and is refused for leaving it out.  Without the lock it would
// have judged the old items and answered 200.
BOOST_AUTO_TEST_CASE(an_order_waits_for_the_upload_holding_the_album_and_counts_its_item) {
  Env env;
  const auto [a, ids] = album_with(env, 2, 60);
  auto loose = upload_request("/api/v1/images", {{"file", "late.png", png_bytes(70)}});
  BOOST_TEST_REQUIRE(env.run(loose).status == 201);
  const long long album_seq = std::stoll(env.query("SELECT seq FROM albums"));
  const long long late = std::stoll(env.query("SELECT max(seq) FROM images"));

  db::Connection upload_conn(env.config().database);
  db::Transaction upload_tx(upload_conn);
  db::AlbumsRepo uploading(upload_conn);
  BOOST_TEST_REQUIRE(uploading.lock_row(album_seq).has_value());
  BOOST_TEST(uploading.append_items(album_seq, {late}).item_count == 3);

  auto edit = std::async(std::launch::async, [&, token = std::string(a["manage_token"])] {
    return patch(env, a, {{"order", {ids[1], ids[0]}}}, token);
  });
  BOOST_TEST((edit.wait_for(std::chrono::milliseconds(300)) == std::future_status::timeout),
             "the edit waits for the upload's row lock");
  upload_tx.commit();
  const auto r = edit.get();
  BOOST_TEST(r.status == 400, r.body);
  BOOST_TEST(r.body.find("leaves out") != std::string::npos, r.body);
  BOOST_TEST(env.query("SELECT count(*) FROM album_items") == "3");
}

// The cleanup of albums left empty (empty_album_ttl) never races an upload into one: an
// album whose row an upload holds (its item appended, not committed) is skipped, not
// deleted from under it (without SKIP LOCKED this run would wait for the upload, here
// for ever), and once the upload commits it holds an image and stays.  Another empty
// album as old goes, with its line and a 404; a fresh one stays; a TTL of 0 removes none.
BOOST_AUTO_TEST_CASE(albums_left_empty_past_the_ttl_go_but_not_one_an_upload_holds) {
  Env env;
  const std::string held = new_album(env, {{"title", "held"}})["id"];
  const std::string idle = new_album(env, {{"title", "idle"}})["id"];
  const std::string fresh = new_album(env, {{"title", "fresh"}})["id"];
  auto loose = upload_request("/api/v1/images", {{"file", "late.png", png_bytes(71)}});
  BOOST_TEST_REQUIRE(env.run(loose).status == 201);
  const long long image = std::stoll(env.query("SELECT max(seq) FROM images"));
  const long long held_seq = std::stoll(env.query("SELECT seq FROM albums WHERE id = '" + held + "'"));
  env.query("UPDATE albums SET created_at = created_at - interval '2 hours' WHERE id IN ('" + held + "', '" + idle +
            "')");
  auto& app = env.app();
  BOOST_TEST(imghost::cleanup::run_once(app.db(), app.store(), app.log(), 0).empty_albums == 0u, "0: never");
  BOOST_TEST(env.count("albums") == 3);

  db::Connection upload_conn(env.config().database);
  auto upload_tx = std::make_unique<db::Transaction>(upload_conn);
  db::AlbumsRepo uploading(upload_conn);
  BOOST_TEST_REQUIRE(uploading.lock_row(held_seq).has_value());
  BOOST_TEST(uploading.append_items(held_seq, {image}).item_count == 1);

  auto r = imghost::cleanup::run_once(app.db(), app.store(), app.log(), 3600);
  BOOST_TEST(r.empty_albums == 1u);
  BOOST_TEST(r.albums == 0u, "not counted as expired");
  get_json(env, "/api/v1/albums/" + idle, 404);
  BOOST_TEST(log_text(env).find("album " + idle + " removed: empty for more than 3600 seconds.") != std::string::npos);
  upload_tx->commit();
  upload_tx.reset();

  r = imghost::cleanup::run_once(app.db(), app.store(), app.log(), 3600);
  BOOST_TEST(r.empty_albums == 0u);
  BOOST_TEST(get_json(env, "/api/v1/albums/" + held, 200)["item_count"] == 1);
  get_json(env, "/api/v1/albums/" + fresh, 200);
  BOOST_TEST(log_text(env).find("album " + held + " removed") == std::string::npos);
}

// An account's album: its owner and an admin edit it without a token; another account
// (or a token of another album) cannot.
BOOST_AUTO_TEST_CASE(an_accounts_album_is_edited_by_its_owner) {
  Env env;
  const auto ann = signup(env, "ann"), bob = signup(env, "bob");
  auto req = json_post("/api/v1/albums", {{"title", "ann's"}}, {{"Authorization", "Bearer " + ann}});
  const auto created = env.run(req);
  BOOST_TEST_REQUIRE(created.status == 201, created.body);
  const auto a = json::parse(created.body);
  const std::string path = "/api/v1/albums/" + std::string(a["id"]);
  auto as = [&](const std::string& token, const json& body) {
    auto r = json_request("PATCH", path, body, {{"Authorization", "Bearer " + token}});
    return env.run(r);
  };
  auto r = as(bob, {{"title", "bob's"}});
  BOOST_TEST(r.status == 403, r.body);
  auto anon = json_request("PATCH", path, {{"title", "nobody's"}});
  BOOST_TEST(env.run(anon).status == 403);
  auto bad_bearer = json_request("PATCH", path, {{"title", "x"}}, {{"Authorization", "Bearer ih_nonsense"}});
  BOOST_TEST(env.run(bad_bearer).status == 401);
  r = as(ann, {{"title", "still ann's"}});
  BOOST_TEST_REQUIRE(r.status == 200, r.body);
  BOOST_TEST(json::parse(r.body)["title"] == "still ann's");
  BOOST_TEST(log_text(env).find("album " + std::string(a["id"]) + " edited by ann.") != std::string::npos);
  env.query("UPDATE users SET is_admin = true WHERE username = 'bob'");
  r = as(bob, {{"status", "closed"}});
  BOOST_TEST_REQUIRE(r.status == 200, r.body);
  BOOST_TEST(json::parse(r.body)["status"] == "closed");
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(expiry)

BOOST_AUTO_TEST_CASE(bad_expires_in_on_an_upload_is_400_and_stores_nothing) {
  Env env;
  for (const std::string v : {"0", "-60", "59", "soon", "", "1e3", "99999999999"}) {
    BOOST_TEST_CONTEXT(v) {
      auto req = upload_request("/api/v1/images", {{"expires_in", std::nullopt, v}, {"file", "a.png", png_bytes(1)}});
      const auto r = env.run(req);
      BOOST_TEST(r.status == 400, r.body);
    }
  }
  BOOST_TEST(env.count("images") == 0);
  BOOST_TEST(originals_in_store(env) == 0u);
}

BOOST_AUTO_TEST_CASE(an_expiring_image_says_when_and_answers_410_once_past) {
  Env env;
  auto req = upload_request(
      "/api/v1/images",
      {{"expires_in", std::nullopt, "600"}, {"visibility", std::nullopt, "public"}, {"file", "a.png", png_bytes(1)}});
  const auto r = env.run(req);
  BOOST_TEST_REQUIRE(r.status == 201, r.body);
  const auto img = json::parse(r.body);
  BOOST_TEST(!img["expires_at"].is_null());
  const std::string path = "/api/v1/images/" + std::string(img["id"]);
  BOOST_TEST(get_json(env, path, 200)["expires_at"] == img["expires_at"]);
  BOOST_TEST(get_json(env, "/api/v1/images", 200)["items"].size() == 1u);

  env.query("UPDATE images SET expires_at = now() - interval '1 second'");
  BOOST_TEST(get_json(env, path, 410)["error"]["code"] == "expired");
  StringRequest file("GET", path + "/file");
  BOOST_TEST(env.run(file).status == 410);
  BOOST_TEST(get_json(env, "/api/v1/images", 200)["items"].empty(), "the catalog leaves expired images out");
}

// And the upload's answer says so: it shows the expires_at the row holds, the album's,
// not the later one the upload asked for (nor none).
BOOST_AUTO_TEST_CASE(an_image_never_outlives_the_album_it_was_uploaded_into) {
  Env env;
  const auto a = new_album(env, {{"expires_in", 120}});
  BOOST_TEST_REQUIRE(!a["expires_at"].is_null());
  auto r =
      upload_into(env, a, {{"expires_in", std::nullopt, "3600"}, {"file", "a.png", png_bytes(1)}}, a["manage_token"]);
  BOOST_TEST_REQUIRE(r.status == 201, r.body);
  BOOST_TEST(env.query("SELECT i.expires_at = a.expires_at FROM images i, albums a") == "t");
  const auto one = json::parse(r.body);
  BOOST_TEST(one["expires_at"] == a["expires_at"]);
  BOOST_TEST(get_json(env, "/api/v1/images/" + std::string(one["id"]), 200)["expires_at"] == one["expires_at"]);

  // Several files without expires_in of their own, through the upload route's field.
  auto req = upload_request("/api/v1/images", {{"album", std::nullopt, std::string(a["id"])},
                                               {"manage_token", std::nullopt, std::string(a["manage_token"])},
                                               {"file", "b.png", png_bytes(2)},
                                               {"file", "c.png", png_bytes(3)}});
  r = env.run(req);
  BOOST_TEST_REQUIRE(r.status == 201, r.body);
  const auto several = json::parse(r.body);  // a named object: the loop must not outlive it
  BOOST_TEST(several["items"].size() == 2u);
  for (const auto& item : several["items"]) BOOST_TEST(item["expires_at"] == a["expires_at"]);

  // An image that expires before its album keeps its own time.
  r = upload_into(env, a, {{"expires_in", std::nullopt, "60"}, {"file", "d.png", png_bytes(4)}}, a["manage_token"]);
  BOOST_TEST_REQUIRE(r.status == 201, r.body);
  const auto sooner = json::parse(r.body);
  BOOST_TEST(std::string(sooner["expires_at"]) < std::string(a["expires_at"]));
  BOOST_TEST(get_json(env, "/api/v1/images/" + std::string(sooner["id"]), 200)["expires_at"] == sooner["expires_at"]);
}

// An album that never expires leaves its images' own expiry, and none, as they are.
BOOST_AUTO_TEST_CASE(an_album_without_expiry_leaves_the_uploads_expiry_alone) {
  Env env;
  const auto a = new_album(env, json::object());
  auto r =
      upload_into(env, a, {{"expires_in", std::nullopt, "3600"}, {"file", "a.png", png_bytes(1)}}, a["manage_token"]);
  BOOST_TEST_REQUIRE(r.status == 201, r.body);
  const auto own = json::parse(r.body);
  BOOST_TEST(!own["expires_at"].is_null());
  BOOST_TEST(get_json(env, "/api/v1/images/" + std::string(own["id"]), 200)["expires_at"] == own["expires_at"]);
  r = upload_into(env, a, {{"file", "b.png", png_bytes(2)}}, a["manage_token"]);
  BOOST_TEST_REQUIRE(r.status == 201, r.body);
  BOOST_TEST(json::parse(r.body)["expires_at"].is_null());
}

// The cleanup removes expired images, their rows and files, and keeps the bytes that
// deduplication shares with an image that has not expired (under that image's own name);
// one log line per image.
BOOST_AUTO_TEST_CASE(the_cleanup_removes_expired_images_and_keeps_shared_bytes) {
  Env env;
  const auto shared = png_bytes(1), alone = png_bytes(2);
  auto up = [&](const std::string& bytes, std::optional<std::string> expires_in) {
    std::vector<FormField> f{{"file", "x.png", bytes}};
    if (expires_in) f.push_back({"expires_in", std::nullopt, *expires_in});
    auto req = upload_request("/api/v1/images", f);
    const auto r = env.run(req);
    BOOST_TEST_REQUIRE(r.status == 201, r.body);
    return json::parse(r.body);
  };
  const auto keeps = up(shared, std::nullopt), goes_shared = up(shared, "600"), goes_alone = up(alone, "600");
  BOOST_TEST_REQUIRE(keeps["filename"] != goes_shared["filename"]);
  env.query("UPDATE images SET expires_at = now() - interval '1 second' WHERE expires_at IS NOT NULL");

  auto& app = env.app();
  const auto r = imghost::cleanup::run_once(app.db(), app.store(), app.log());
  BOOST_TEST(r.images == 2u);
  BOOST_TEST(r.files == 2u);
  BOOST_TEST(env.count("images") == 1);
  BOOST_TEST(env.count("blobs") == 1);
  BOOST_TEST(env.count("removals") == 0);
  BOOST_TEST(original_exists(env, keeps["filename"]), "the shared bytes stay for the image that did not expire");
  BOOST_TEST(!original_exists(env, goes_shared["filename"]), "the expired image's own name is gone");
  BOOST_TEST(!original_exists(env, goes_alone["filename"]));
  get_json(env, "/api/v1/images/" + std::string(keeps["id"]), 200);
  get_json(env, "/api/v1/images/" + std::string(goes_alone["id"]), 404);
  // A second run finds nothing to do.
  BOOST_TEST(imghost::cleanup::run_once(app.db(), app.store(), app.log()).images == 0u);
}

// A cleanup killed after its COMMIT leaves a queued name: the next run removes the file.
BOOST_AUTO_TEST_CASE(a_queued_removal_left_by_a_killed_run_is_finished) {
  Env env;
  auto req = upload_request("/api/v1/images", {{"file", "x.png", png_bytes(3)}});
  const auto img = json::parse(env.run(req).body);
  const std::string name = img["filename"];
  // As a killed run leaves it: rows gone, the name queued, the file still there.
  env.query("INSERT INTO removals (name) VALUES ('" + name + "')");
  env.query("DELETE FROM images");
  env.query("DELETE FROM blobs");
  BOOST_TEST_REQUIRE(original_exists(env, name));
  auto& app = env.app();
  const auto r = imghost::cleanup::run_once(app.db(), app.store(), app.log());
  BOOST_TEST(r.files == 1u);
  BOOST_TEST(!original_exists(env, name));
  BOOST_TEST(env.count("removals") == 0);
}

// An expired album goes with its images (they expire with it), rows and files.
BOOST_AUTO_TEST_CASE(an_expired_album_goes_with_its_images) {
  Env env;
  const auto a = new_album(env, {{"expires_in", 600}});
  const auto r1 =
      upload_into(env, a, {{"file", "a.png", png_bytes(4)}, {"file", "b.png", png_bytes(5)}}, a["manage_token"]);
  BOOST_TEST_REQUIRE(r1.status == 201, r1.body);
  env.query("UPDATE albums SET expires_at = now() - interval '1 second'");
  env.query("UPDATE images SET expires_at = now() - interval '1 second'");
  auto& app = env.app();
  const auto r = imghost::cleanup::run_once(app.db(), app.store(), app.log());
  BOOST_TEST(r.images == 2u);
  BOOST_TEST(r.albums == 1u);
  BOOST_TEST(env.count("albums") == 0);
  BOOST_TEST(env.count("images") == 0);
  BOOST_TEST(env.count("album_items") == 0);
  BOOST_TEST(originals_in_store(env) == 0u);
  get_json(env, "/api/v1/albums/" + std::string(a["id"]), 404);
}

// A DELETE that a dead worker left half done (the album marked deleting, its images
// still there) is finished by the cleanup, which logs it as the deletion it is; an
// album marked deleting by a cleanup that died after its expiry stays "expired".
BOOST_AUTO_TEST_CASE(the_cleanup_finishes_a_deletion_as_a_deletion) {
  Env env;
  const auto deleted = new_album(env, json::object());
  auto r = upload_into(env, deleted, {{"file", "a.png", png_bytes(4)}, {"file", "b.png", png_bytes(5)}},
                       deleted["manage_token"]);
  BOOST_TEST_REQUIRE(r.status == 201, r.body);
  std::vector<std::string> names;
  const auto uploaded = json::parse(r.body);
  for (const auto& item : uploaded["items"]) names.push_back(item["filename"]);
  BOOST_TEST_REQUIRE(names.size() == 2u);
  const auto expired = new_album(env, {{"expires_in", 600}});
  r = upload_into(env, expired, {{"file", "c.png", png_bytes(6)}}, expired["manage_token"]);
  BOOST_TEST_REQUIRE(r.status == 201, r.body);
  const std::string expired_name = json::parse(r.body)["filename"];
  env.query("UPDATE albums SET status = 'deleting'");
  // Only the album's time has passed: its image is removed with it, not as an expired image.
  env.query("UPDATE albums SET expires_at = now() - interval '1 second' WHERE expires_at IS NOT NULL");

  auto& app = env.app();
  const auto report = imghost::cleanup::run_once(app.db(), app.store(), app.log());
  BOOST_TEST(report.images == 3u);
  BOOST_TEST(report.albums == 2u);
  BOOST_TEST(env.count("albums") == 0);
  BOOST_TEST(env.count("images") == 0);
  const auto log = log_text(env);
  for (const auto& name : names) {
    BOOST_TEST(log.find("Success: image " + name + " deleted.") != std::string::npos, log);
    BOOST_TEST(log.find("image " + name + " expired.") == std::string::npos, log);
  }
  BOOST_TEST(log.find("Success: album " + std::string(deleted["id"]) + " deleted.") != std::string::npos, log);
  BOOST_TEST(log.find("Success: image " + expired_name + " expired.") != std::string::npos, log);
  BOOST_TEST(log.find("Success: album " + std::string(expired["id"]) + " expired.") != std::string::npos, log);
}

BOOST_AUTO_TEST_SUITE_END()
