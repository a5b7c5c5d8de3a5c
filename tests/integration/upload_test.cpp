#include <boost/test/unit_test.hpp>
#include <nlohmann/json.hpp>

#include "base/crypto.hpp"
#include "fixture.hpp"
#include "store/local_store.hpp"

using namespace imghost::testing;
using nlohmann::json;
namespace store = imghost::store;

BOOST_AUTO_TEST_SUITE(upload)

BOOST_AUTO_TEST_CASE(one_file_becomes_one_row_one_blob_one_file_and_a_thumbnail) {
  Env env;
  const auto png = png_bytes(1);
  auto req = upload_request("/api/v1/images", {{"file", "cat.png", png}, {"description", std::nullopt, "a cat"}});
  const auto r = env.run(req);
  BOOST_TEST_REQUIRE(r.status == 201, r.body);
  const auto obj = json::parse(r.body);
  BOOST_TEST(obj["original_filename"] == "cat.png");
  BOOST_TEST(obj["description"] == "a cat");
  BOOST_TEST(obj["sha256"] == imghost::crypto::to_hex(imghost::crypto::sha256(png)));
  BOOST_TEST(env.count("images") == 1);
  BOOST_TEST(env.count("blobs") == 1);
  const store::LocalStore s(env.store_dir());
  const std::string name = obj["filename"];
  BOOST_TEST(*s.read(store::Object::original, name) == png);
  BOOST_TEST(s.read(store::Object::thumbnail, name).has_value(), "the deferred thumbnail was written");
}

BOOST_AUTO_TEST_CASE(same_bytes_twice_share_one_blob_and_keep_their_own_ids) {
  Env env;
  const auto png = png_bytes(2);
  auto a = upload_request("/api/v1/images", {{"file", "a.png", png}});
  auto b = upload_request("/api/v1/images", {{"file", "b.png", png}});
  const auto ra = json::parse(env.run(a).body), rb = json::parse(env.run(b).body);
  BOOST_TEST(ra["id"] != rb["id"]);
  BOOST_TEST(ra["filename"] == rb["filename"]);
  BOOST_TEST(env.count("images") == 2);
  BOOST_TEST(env.count("blobs") == 1);
}

BOOST_AUTO_TEST_CASE(a_bad_second_file_stores_nothing_and_names_the_file) {
  Env env;
  auto req =
      upload_request("/api/v1/images", {{"file", "good.png", png_bytes(3)}, {"file", "bad.jpg", "not an image"}});
  const auto r = env.run(req);
  BOOST_TEST(r.status == 415);
  const auto err = json::parse(r.body)["error"];
  BOOST_TEST(err["code"] == "unsupported_format");
  BOOST_TEST(std::string(err["message"]).find("bad.jpg") != std::string::npos);
  BOOST_TEST(env.count("images") == 0);
  BOOST_TEST(env.count("blobs") == 0);
  std::size_t files = 0;
  store::LocalStore(env.store_dir()).walk([&](const store::Entry&) { ++files; });
  BOOST_TEST(files == 0u, "no original, thumbnail or staged file is left");
}

BOOST_AUTO_TEST_CASE(bad_requests_answer_the_contract_codes) {
  Env env;
  struct Case {
    const char* what;
    imghost::testing::StringRequest req;
    int status;
    const char* code;
  };
  Case cases[] = {
      {"no body", StringRequest("POST", "/api/v1/images", "", {{"Content-Type", "multipart/form-data; boundary=x"}}),
       400, "bad_request"},
      {"not multipart", StringRequest("POST", "/api/v1/images", "", {{"Content-Type", "image/png"}}, png_bytes(4)), 400,
       "bad_request"},
      {"no file field", upload_request("/api/v1/images", {{"description", std::nullopt, "x"}}), 400, "bad_request"},
      {"a NUL in the description",
       upload_request("/api/v1/images",
                      {{"file", "n.png", png_bytes(5)}, {"description", std::nullopt, std::string("a\0b", 3)}}),
       400, "bad_request"},
      {"a PNG that is cut short", upload_request("/api/v1/images", {{"file", "cut.png", png_bytes(6).substr(0, 60)}}),
       422, "invalid_image"},
  };
  for (auto& c : cases) {
    BOOST_TEST_CONTEXT(c.what) {
      const auto r = env.run(c.req);
      BOOST_TEST(r.status == c.status, r.body);
      BOOST_TEST(json::parse(r.body)["error"]["code"] == c.code);
    }
  }
  BOOST_TEST(env.count("images") == 0);
}

BOOST_AUTO_TEST_CASE(the_form_answers_a_redirect_and_several_files_answer_items) {
  Env env;
  auto form = upload_request("/upload", {{"file", "p.png", png_bytes(7)}, {"file", "q.jpg", jpeg_bytes(8)}});
  const auto page = env.run(form);
  BOOST_TEST(page.status == 303);
  BOOST_TEST(header_of(page, "Location")->starts_with("/uploaded/"));
  auto api = upload_request("/api/v1/images", {{"file", "r.png", png_bytes(9)}, {"file", "s.png", png_bytes(10)}});
  const auto r = env.run(api);
  BOOST_TEST(r.status == 201);
  BOOST_TEST(json::parse(r.body)["items"].size() == 2u);
  BOOST_TEST(env.count("images") == 4);
}

BOOST_AUTO_TEST_SUITE_END()
