#include <sys/stat.h>

#include <filesystem>
#include <fstream>

#include <boost/test/unit_test.hpp>
#include <nlohmann/json.hpp>

#include "base/crypto.hpp"
#include "core/cleanup.hpp"
#include "db/pg.hpp"
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
  BOOST_TEST(s.read(store::Object::thumbnail, name).has_value(), "the thumbnail was written");
}

// Counts what the store holds: originals, thumbnails, staged files.
struct StoreCount {
  std::size_t originals = 0, thumbnails = 0, staged = 0;
};
StoreCount count_store(const Env& env) {
  StoreCount c;
  store::LocalStore(env.store_dir()).walk([&](const store::Entry& e) {
    if (e.kind == store::Entry::Kind::original) ++c.originals;
    if (e.kind == store::Entry::Kind::thumbnail) ++c.thumbnails;
    if (e.kind == store::Entry::Kind::staged) ++c.staged;
  });
  return c;
}

// The body is read in pieces and streamed to staged files: wherever the pieces are cut
// (inside a boundary, a header, a file), the same files are stored, byte for byte, with
// their thumbnails in place when the upload answers, and no staged file is left.
BOOST_AUTO_TEST_CASE(a_body_read_in_pieces_of_any_size_stores_the_same_files) {
  Env env;
  int seed = 20;
  for (const std::size_t piece : {std::size_t{1}, std::size_t{7}, std::size_t{4096}, std::size_t{65536}}) {
    BOOST_TEST_CONTEXT("pieces of " << piece) {
      const auto png = png_bytes(seed++, 400, 300), jpeg = jpeg_bytes(seed++, 640, 480);
      auto req =
          upload_request("/api/v1/images",
                         {{"file", "a.png", png}, {"description", std::nullopt, "in pieces"}, {"file", "b.jpg", jpeg}});
      req.set_piece_size(piece);
      const auto r = env.run(req);
      BOOST_TEST_REQUIRE(r.status == 201, r.body);
      const auto items = json::parse(r.body)["items"];
      BOOST_TEST_REQUIRE(items.size() == 2u);
      const store::LocalStore s(env.store_dir());
      BOOST_TEST(items[0]["description"] == "in pieces");
      BOOST_TEST(items[0]["sha256"] == imghost::crypto::to_hex(imghost::crypto::sha256(png)));
      BOOST_TEST(items[1]["sha256"] == imghost::crypto::to_hex(imghost::crypto::sha256(jpeg)));
      BOOST_TEST(*s.read(store::Object::original, std::string(items[0]["filename"])) == png);
      BOOST_TEST(*s.read(store::Object::original, std::string(items[1]["filename"])) == jpeg);
      for (const auto& item : items)
        BOOST_TEST(s.read(store::Object::thumbnail, std::string(item["filename"])).has_value());
      BOOST_TEST(count_store(env).staged == 0u);
    }
  }
}

// A small image that already fits the thumbnail box is its own thumbnail: the local
// store gives the original a second name instead of writing a copy.  A bigger one gets a
// thumbnail file of its own.  Deleting removes both names.
BOOST_AUTO_TEST_CASE(a_small_image_is_its_own_thumbnail_without_a_second_file) {
  Env env;
  const store::LocalStore s(env.store_dir());
  const auto inode_of = [&](store::Object o, const std::string& name) {
    struct stat st {};
    BOOST_TEST_REQUIRE(::stat((env.store_dir() / s.where(o, name)).c_str(), &st) == 0);
    return st.st_ino;
  };
  auto small_req = upload_request("/api/v1/images", {{"file", "small.png", png_bytes(30, 40, 30)}});
  auto big_req = upload_request("/api/v1/images", {{"file", "big.png", png_bytes(31, 400, 300)}});
  const auto small = json::parse(env.run(small_req).body), big = json::parse(env.run(big_req).body);
  const std::string small_name = small["filename"], big_name = big["filename"];
  BOOST_TEST(inode_of(store::Object::thumbnail, small_name) == inode_of(store::Object::original, small_name));
  BOOST_TEST(*s.read(store::Object::thumbnail, small_name) == *s.read(store::Object::original, small_name));
  BOOST_TEST(inode_of(store::Object::thumbnail, big_name) != inode_of(store::Object::original, big_name));
  StringRequest del("DELETE", "/api/v1/images/" + std::string(small["id"]), "",
                    {{"X-Delete-Token", small["delete_token"]}});
  BOOST_TEST(env.run(del).status == 204);
  BOOST_TEST(!s.read(store::Object::original, small_name).has_value());
  BOOST_TEST(!s.read(store::Object::thumbnail, small_name).has_value());
}

// The visibility field and the file count work the same on a body read in pieces: an
// empty, nameless file part (a browser's "no file chosen") does not count; one file past
// max_files is refused with nothing stored or left staged.
BOOST_AUTO_TEST_CASE(visibility_and_the_file_count_survive_any_cut_of_the_body) {
  Env env;
  std::vector<FormField> fields{{"file", "", ""}, {"visibility", std::nullopt, "public"}};
  for (int i = 0; i < 20; ++i) fields.push_back({"file", "f" + std::to_string(i) + ".png", png_bytes(300 + i, 8, 8)});
  auto twenty = upload_request("/api/v1/images", fields);
  twenty.set_piece_size(3);
  const auto ok = env.run(twenty);
  BOOST_TEST_REQUIRE(ok.status == 201, ok.body);
  const auto items = json::parse(ok.body)["items"];
  BOOST_TEST(items.size() == 20u);
  for (const auto& item : items) BOOST_TEST(item["visibility"] == "public");
  fields.push_back({"file", "one-too-many.png", png_bytes(400, 8, 8)});
  auto over = upload_request("/api/v1/images", fields);
  over.set_piece_size(5);
  const auto refused = env.run(over);
  BOOST_TEST(refused.status == 413);
  BOOST_TEST(env.count("images") == 20);
  BOOST_TEST(count_store(env).staged == 0u);
}

// Bytes already stored are not written again: each upload gets a name of its own, a hard
// link to the one file, and its staged file is dropped; in one request too.
BOOST_AUTO_TEST_CASE(bytes_already_stored_leave_no_second_file) {
  Env env;
  const auto png = png_bytes(40);
  auto first = upload_request("/api/v1/images", {{"file", "a.png", png}});
  const auto one = env.run(first);
  BOOST_TEST_REQUIRE(one.status == 201);
  auto again = upload_request("/api/v1/images", {{"file", "b.png", png}, {"file", "c.png", png}});
  const auto r = env.run(again);
  BOOST_TEST_REQUIRE(r.status == 201, r.body);
  const auto items = json::parse(r.body)["items"];
  const std::string a = json::parse(one.body)["filename"], b = items[0]["filename"], c = items[1]["filename"];
  BOOST_TEST((a != b && b != c && a != c));
  BOOST_TEST(env.count("images") == 3);
  BOOST_TEST(env.count("blobs") == 1);
  const auto counted = count_store(env);
  BOOST_TEST(counted.originals == 3u);
  BOOST_TEST(counted.thumbnails == 3u);
  BOOST_TEST(counted.staged == 0u);
  const store::LocalStore s(env.store_dir());
  for (const auto& other : {b, c})
    BOOST_TEST(std::filesystem::equivalent(s.path(store::Object::original, a), s.path(store::Object::original, other)),
               "one file under every name");
}

// A file over the limit is refused (413) once the body is read, and none of it stays.
BOOST_AUTO_TEST_CASE(a_file_over_the_limit_is_refused_and_nothing_is_left) {
  Env env;
  const std::string big(env.config().max_file_bytes + 1, 'x');
  auto req = upload_request("/api/v1/images", {{"file", "ok.png", png_bytes(41)}, {"file", "big.png", big}});
  const auto r = env.run(req);
  BOOST_TEST(r.status == 413, r.body);
  BOOST_TEST(std::string(json::parse(r.body)["error"]["message"]).find("big.png") != std::string::npos);
  const auto c = count_store(env);
  BOOST_TEST(c.originals + c.thumbnails + c.staged == 0u);
}

// BEGIN and several statements in one round trip: a failing statement throws its error,
// nothing of the transaction stays, and the connection serves the next query.
BOOST_AUTO_TEST_CASE(begin_and_run_rolls_back_on_a_failed_statement) {
  Env env;
  auto& conn = env.app().db();
  {
    imghost::db::Transaction tx(conn, imghost::db::Transaction::kBegunByStatements);
    const auto results =
        conn.begin_and_run({{"t_one", "SELECT 1 + $1::int", {"1"}}, {"t_two", "SELECT $1::text", {"x"}}});
    BOOST_TEST_REQUIRE(results.size() == 2u);
    BOOST_TEST(results[0].get(0, 0) == "2");
    BOOST_TEST(results[1].get(0, 0) == "x");
    tx.commit();
  }
  env.query("CREATE TABLE t (v int)");
  try {
    imghost::db::Transaction tx(conn, imghost::db::Transaction::kBegunByStatements);
    conn.begin_and_run({{"t_insert", "INSERT INTO t VALUES ($1::int)", {"1"}},
                        {"t_fail", "SELECT 1 / $1::int", {"0"}},
                        {"t_insert", "INSERT INTO t VALUES ($1::int)", {"2"}}});
    BOOST_FAIL("no error");
  } catch (const imghost::db::DbError& e) { BOOST_TEST(e.sqlstate() == "22012"); }
  BOOST_TEST(env.query("SELECT count(*) FROM t") == "0");
  BOOST_TEST(conn.run("t_one", "SELECT 1 + $1::int", {"41"}).get(0, 0) == "42");
}

// The work done while the server runs the statements (the upload syncs its files then):
// it runs after they were sent, with the transaction open; what it throws is thrown once
// the pipeline is drained, ahead of a statement's failure, and nothing of the
// transaction stays; the connection serves the next query.
BOOST_AUTO_TEST_CASE(begin_and_run_does_the_callers_work_while_waiting_and_throws_what_it_throws) {
  Env env;
  auto& conn = env.app().db();
  env.query("CREATE TABLE t (v int)");
  {
    imghost::db::Transaction tx(conn, imghost::db::Transaction::kBegunByStatements);
    imghost::db::Connection other(env.config().database);
    std::string seen_by_others = "not run";
    const auto results = conn.begin_and_run({{"t_insert", "INSERT INTO t VALUES ($1::int) RETURNING v", {"7"}}}, [&] {
      seen_by_others = std::string(other.exec("SELECT count(*) FROM t").get(0, 0));
    });
    BOOST_TEST(seen_by_others == "0");  // ran, and the transaction was not committed yet
    BOOST_TEST(results.at(0).get(0, 0) == "7");
    tx.commit();
  }
  BOOST_TEST(env.query("SELECT count(*) FROM t") == "1");
  for (const bool a_statement_fails_too : {false, true}) {
    try {
      imghost::db::Transaction tx(conn, imghost::db::Transaction::kBegunByStatements);
      conn.begin_and_run({{"t_insert", "INSERT INTO t VALUES ($1::int) RETURNING v", {"8"}},
                          {"t_fail", "SELECT 1 / $1::int", {a_statement_fails_too ? "0" : "1"}}},
                         [] { throw std::runtime_error("the disk said no"); });
      BOOST_FAIL("no error");
    } catch (const std::runtime_error& e) { BOOST_TEST(std::string(e.what()) == "the disk said no"); }
    BOOST_TEST(env.query("SELECT count(*) FROM t") == "1");
    BOOST_TEST(conn.run("t_one", "SELECT 1 + $1::int", {"41"}).get(0, 0) == "42");
  }
}

// Each upload has its own name, its bytes stored once (two hard links to one file); a
// delete takes its own name and leaves the other's.
BOOST_AUTO_TEST_CASE(same_bytes_twice_get_own_names_and_one_stored_file) {
  Env env;
  const auto png = png_bytes(2);
  auto a = upload_request("/api/v1/images", {{"file", "a.png", png}});
  auto b = upload_request("/api/v1/images", {{"file", "b.png", png}});
  const auto ra = json::parse(env.run(a).body), rb = json::parse(env.run(b).body);
  BOOST_TEST(ra["id"] != rb["id"]);
  BOOST_TEST(ra["filename"] != rb["filename"]);
  BOOST_TEST(env.count("images") == 2);
  BOOST_TEST(env.count("blobs") == 1);
  const store::LocalStore s(env.store_dir());
  const auto pa = s.path(store::Object::original, std::string(ra["filename"]));
  const auto pb = s.path(store::Object::original, std::string(rb["filename"]));
  BOOST_TEST(std::filesystem::equivalent(pa, pb), "one file, two names");
  StringRequest del("DELETE", "/api/v1/images/" + std::string(ra["id"]), "",
                    {{"X-Delete-Token", std::string(ra["delete_token"])}});
  BOOST_TEST(env.run(del).status == 204);
  BOOST_TEST(!std::filesystem::exists(pa));
  BOOST_TEST(!s.read(store::Object::thumbnail, std::string(ra["filename"])).has_value());
  BOOST_TEST((s.read(store::Object::original, std::string(rb["filename"])) == png));
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

// A delete whose file the store cannot remove still deletes (204): the file's name stays
// in the removals queue, so the next cleanup removes it and nothing is orphaned.  The
// failure is real: a folder stands where the original was, which unlink refuses.
BOOST_AUTO_TEST_CASE(a_delete_the_store_cannot_finish_leaves_the_file_queued_for_the_cleanup) {
  Env env;
  auto up = upload_request("/api/v1/images", {{"file", "stuck.png", png_bytes(240)}});
  const auto img = json::parse(env.run(up).body);
  const std::string name = img["filename"];
  const store::LocalStore s(env.store_dir());
  const auto original = env.store_dir() / s.where(store::Object::original, name);
  std::filesystem::remove(original);
  std::filesystem::create_directory(original);
  std::ofstream(original / "in-the-way") << "x";

  StringRequest del("DELETE", "/api/v1/images/" + std::string(img["id"]), "",
                    {{"X-Delete-Token", img["delete_token"]}});
  BOOST_TEST(env.run(del).status == 204);
  BOOST_TEST(env.count("images") == 0);
  BOOST_TEST(env.count("blobs") == 0);
  BOOST_TEST(env.count("removals") == 1, "the name waits in the queue, not as an orphan");

  std::filesystem::remove_all(original);
  std::ofstream(original) << "the file the delete could not remove";
  auto& app = env.app();
  const auto r = imghost::cleanup::run_once(app.db(), app.store(), app.log());
  BOOST_TEST(r.files == 1u);
  BOOST_TEST(!std::filesystem::exists(original));
  BOOST_TEST(env.count("removals") == 0);
}

BOOST_AUTO_TEST_SUITE_END()
