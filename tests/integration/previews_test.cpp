// Link previews' core flow against a real PostgreSQL: the picture that stands for an
// album (its cover while that lives, else its first image that has not expired), and
// what a link names, a direct link's file name included (404 unknown, 410 expired).
#include <boost/test/unit_test.hpp>
#include <nlohmann/json.hpp>

#include "core/albums.hpp"
#include "core/previews.hpp"
#include "domain/error.hpp"
#include "fixture.hpp"

using namespace imghost::testing;
using nlohmann::json;
namespace previews = imghost::previews;
using imghost::SiteLink;

namespace {

// An anonymous album with `n` images; returns it (with its manage token) and their ids.
std::pair<json, std::vector<std::string>> album_of(Env& env, int n, int seed) {
  auto create = json_post("/api/v1/albums", json::object());
  const auto made = env.run(create);
  BOOST_TEST_REQUIRE(made.status == 201, made.body);
  const auto album = json::parse(made.body);
  std::vector<FormField> files;
  for (int i = 0; i < n; ++i) files.push_back({"file", "p" + std::to_string(i) + ".png", png_bytes(seed + i)});
  auto req = upload_request("/api/v1/albums/" + std::string(album["id"]) + "/images", files,
                            {{"X-Manage-Token", std::string(album["manage_token"])}});
  const auto r = env.run(req);
  BOOST_TEST_REQUIRE(r.status == 201, r.body);
  std::vector<std::string> ids;
  const auto answer = json::parse(r.body);
  for (const auto& item : answer["items"]) ids.push_back(item["id"]);
  return {album, ids};
}

std::string picture_of(Env& env, const json& album) {
  const auto a = imghost::albums::find_live(env.app(), album["id"]);
  const auto p = previews::album_picture(env.app(), a);
  return p ? p->id : "";
}

void expire(Env& env, const std::string& id) {
  env.query("UPDATE images SET expires_at = now() - interval '1 second' WHERE id = '" + id + "'");
}

imghost::ErrorCode error_of(Env& env, const SiteLink& link) {
  try {
    previews::find(env.app(), link);
  } catch (const imghost::Error& e) { return e.code(); }
  BOOST_FAIL("no error");
  return imghost::ErrorCode::unavailable;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(link_previews)

BOOST_AUTO_TEST_CASE(an_albums_picture_is_its_live_cover_else_its_first_live_image) {
  Env env;
  const auto [album, ids] = album_of(env, 3, 70);
  BOOST_TEST(picture_of(env, album) == ids[0]);
  expire(env, ids[0]);
  BOOST_TEST(picture_of(env, album) == ids[1], "an expired first image no longer stands for it");
  env.query("UPDATE albums SET cover_seq = (SELECT seq FROM images WHERE id = '" + ids[2] + "')");
  BOOST_TEST(picture_of(env, album) == ids[2]);
  expire(env, ids[2]);
  BOOST_TEST(picture_of(env, album) == ids[1], "nor an expired cover");
  expire(env, ids[1]);
  BOOST_TEST(picture_of(env, album) == "", "an album of expired images has no picture");
}

BOOST_AUTO_TEST_CASE(a_link_names_an_image_by_its_page_or_its_file_and_only_while_it_lives) {
  Env env;
  const auto [album, ids] = album_of(env, 2, 80);
  const auto name = env.query("SELECT name FROM images WHERE id = '" + ids[1] + "'");
  const auto by_file = previews::find(env.app(), {SiteLink::Kind::image_file, name});
  BOOST_REQUIRE(by_file.image);
  BOOST_TEST(by_file.image->id == ids[1]);
  BOOST_TEST(!by_file.album);
  const auto by_page = previews::find(env.app(), {SiteLink::Kind::image_page, ids[1]});
  BOOST_TEST(by_page.image->name == name);
  const auto by_album = previews::find(env.app(), {SiteLink::Kind::album_page, std::string(album["id"])});
  BOOST_REQUIRE(by_album.album);
  BOOST_TEST(by_album.picture->id == ids[0]);

  BOOST_TEST(
      (error_of(env, {SiteLink::Kind::image_file, "abcdefghijklmnopqrst.png"}) == imghost::ErrorCode::not_found));
  expire(env, ids[1]);
  BOOST_TEST((error_of(env, {SiteLink::Kind::image_file, name}) == imghost::ErrorCode::expired));
  BOOST_TEST((error_of(env, {SiteLink::Kind::image_page, ids[1]}) == imghost::ErrorCode::expired));
}

BOOST_AUTO_TEST_SUITE_END()
