#include <utime.h>
#include <boost/test/unit_test.hpp>
#include <nlohmann/json.hpp>

#include <cstdio>
#include <string>

#include "admin/fsck.hpp"
#include "core/cleanup.hpp"
#include "domain/naming.hpp"
#include "fixture.hpp"
#include "store/local_store.hpp"

using namespace imghost::testing;
using nlohmann::json;
namespace store = imghost::store;
namespace admin = imghost::admin;

namespace {

// Runs the repair check; returns its result and what it printed.
std::pair<admin::FsckResult, std::string> check(Env& env, bool fix) {
  char* buf = nullptr;
  std::size_t len = 0;
  FILE* out = open_memstream(&buf, &len);
  admin::FsckOptions opt;
  opt.fix = fix;
  opt.grace = std::chrono::seconds(0);
  const store::LocalStore s(env.store_dir());
  const auto r = admin::fsck(s, env.app().db(), env.app().log(), env.config().image, opt, out);
  std::fclose(out);
  std::string text(buf, len);
  std::free(buf);
  return {r, text};
}

}  // namespace

BOOST_AUTO_TEST_SUITE(repair_check)

BOOST_AUTO_TEST_CASE(a_clean_store_has_nothing_to_report) {
  Env env;
  auto up = upload_request("/api/v1/images", {{"file", "ok.png", png_bytes(200)}});
  BOOST_TEST_REQUIRE(env.run(up).status == 201);
  const auto [r, out] = check(env, false);
  BOOST_TEST(r.problems == 0u, out);
}

BOOST_AUTO_TEST_CASE(finds_then_fixes_every_kind_of_damage) {
  Env env;
  const store::LocalStore s(env.store_dir());
  auto up1 = upload_request("/api/v1/images", {{"file", "lost.png", png_bytes(210)}});
  auto up2 = upload_request("/api/v1/images", {{"file", "thumbless.png", png_bytes(211)}});
  const auto lost = json::parse(env.run(up1).body), thumbless = json::parse(env.run(up2).body);
  // A row whose file is gone, a file whose row is gone, an orphan thumbnail, a missing
  // thumbnail, and an upload that a killed worker left staged.
  s.remove(store::Object::original, std::string(lost["filename"]));
  s.remove(store::Object::thumbnail, std::string(thumbless["filename"]));
  const auto orphan = imghost::naming::new_file_name(imghost::image::Format::png);
  auto staged = s.stage(png_bytes(212));
  s.place(staged, orphan);
  s.put_thumbnail(imghost::naming::new_file_name(imghost::image::Format::png), "x");
  s.stage("half an upload").release();

  const auto [found, report] = check(env, false);
  BOOST_TEST(found.problems == 5u, report);
  BOOST_TEST(found.fixed == 0u);
  BOOST_TEST(report.find("row without a file: image file " + std::string(lost["filename"])) != std::string::npos,
             report);
  BOOST_TEST(report.find("file without a row: " + s.where(store::Object::original, orphan)) != std::string::npos,
             report);
  BOOST_TEST(env.count("images") == 2, "without --fix nothing changes");

  const auto [fixed, fix_report] = check(env, true);
  BOOST_TEST(fixed.problems == 5u, fix_report);
  BOOST_TEST(fixed.remaining() == 0u, fix_report);
  BOOST_TEST(env.count("images") == 1, "the image whose bytes are lost is gone");
  BOOST_TEST(s.read(store::Object::thumbnail, std::string(thumbless["filename"])).has_value(), "made again");
  BOOST_TEST(!s.read(store::Object::original, orphan).has_value());
  const auto [again, again_report] = check(env, false);
  BOOST_TEST(again.problems == 0u, again_report);
}

BOOST_AUTO_TEST_CASE(most_files_missing_is_refused_as_an_unmounted_store) {
  Env env;
  const store::LocalStore s(env.store_dir());
  for (int i = 0; i < 4; ++i) {
    auto up = upload_request("/api/v1/images", {{"file", "u.png", png_bytes(220 + i)}});
    const auto obj = json::parse(env.run(up).body);
    s.remove(store::Object::original, std::string(obj["filename"]));
  }
  const auto [r, out] = check(env, true);
  BOOST_TEST(r.remaining() == 4u, out);
  BOOST_TEST(env.count("images") == 4, "no row deleted");
  BOOST_TEST(out.find("--force") != std::string::npos, out);
}

// Two uploads of the same bytes have names of their own: a lost name costs its own image
// only, and the other's file (a link to the same bytes) is not an orphan.
BOOST_AUTO_TEST_CASE(a_lost_name_of_shared_bytes_deletes_only_its_own_image) {
  Env env;
  const store::LocalStore s(env.store_dir());
  const auto bytes = png_bytes(240);
  auto up1 = upload_request("/api/v1/images", {{"file", "a.png", bytes}});
  auto up2 = upload_request("/api/v1/images", {{"file", "b.png", bytes}});
  const auto a = json::parse(env.run(up1).body), b = json::parse(env.run(up2).body);
  BOOST_TEST_REQUIRE(a["filename"] != b["filename"]);
  const auto [clean, clean_out] = check(env, false);
  BOOST_TEST(clean.problems == 0u, clean_out);

  s.remove(store::Object::original, std::string(a["filename"]));
  const auto [r, out] = check(env, true);
  BOOST_TEST(r.problems == 1u, out);
  BOOST_TEST(out.find("row without a file: image file " + std::string(a["filename"])) != std::string::npos, out);
  BOOST_TEST(env.count("images") == 1);
  BOOST_TEST(env.count("blobs") == 1);
  BOOST_TEST(env.query("SELECT name FROM blobs") == std::string(b["filename"]), "new uploads link from b's file");
  BOOST_TEST((s.read(store::Object::original, std::string(b["filename"])) == bytes));
  BOOST_TEST(!s.read(store::Object::thumbnail, std::string(a["filename"])).has_value());
  const auto [again, again_out] = check(env, false);
  BOOST_TEST(again.problems == 0u, again_out);
}

// A cleanup (or an album's delete) killed between its COMMIT and the unlink leaves the
// file's name in `removals`: not an orphan, even with --fix; the next expire run owns it.
BOOST_AUTO_TEST_CASE(a_file_queued_for_removal_is_noted_not_an_orphan_and_expire_removes_it) {
  Env env;
  const store::LocalStore s(env.store_dir());
  auto up = upload_request("/api/v1/images", {{"file", "queued.png", png_bytes(230)}});
  const auto img = json::parse(env.run(up).body);
  const std::string name = img["filename"];
  BOOST_TEST_REQUIRE(s.read(store::Object::thumbnail, name).has_value());
  // What core/image_removal's transaction commits before it unlinks: rows gone, name queued.
  env.query("DELETE FROM images WHERE sha256 = (SELECT sha256 FROM blobs WHERE name = '" + name + "')");
  env.query("DELETE FROM blobs WHERE name = '" + name + "'");
  env.query("INSERT INTO removals (name) VALUES ('" + name + "')");

  const auto [r, out] = check(env, true);
  BOOST_TEST(r.problems == 0u, out);
  BOOST_TEST(out.find("queued for removal: " + s.where(store::Object::original, name)) != std::string::npos, out);
  BOOST_TEST(out.find("queued for removal: " + s.where(store::Object::thumbnail, name)) != std::string::npos, out);
  BOOST_TEST(s.read(store::Object::original, name).has_value(), "left to the cleanup");

  auto& app = env.app();
  BOOST_TEST(imghost::cleanup::run_once(app.db(), app.store(), app.log()).files == 1u);
  BOOST_TEST(env.count("removals") == 0);
  BOOST_TEST(!s.read(store::Object::original, name).has_value());
  BOOST_TEST(!s.read(store::Object::thumbnail, name).has_value());
  const auto [again, again_out] = check(env, false);
  BOOST_TEST(again.problems == 0u, again_out);
  BOOST_TEST(again_out.find("queued for removal") == std::string::npos, again_out);
}

BOOST_AUTO_TEST_SUITE_END()
