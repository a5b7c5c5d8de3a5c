// Migrations applied to rows written before them, as on a server that is upgraded: the
// schema is migrated up to a version (the sql/ files before it, copied to a folder of
// their own), rows are written in that schema, then `migrate` runs on the whole of sql/.
#include <unistd.h>
#include <boost/test/unit_test.hpp>
#include <filesystem>
#include <string>

#include "admin/migrate.hpp"
#include "admin/own_names.hpp"
#include "base/crypto.hpp"
#include "core/image_removal.hpp"
#include "domain/naming.hpp"
#include "fixture.hpp"
#include "store/local_store.hpp"

using namespace imghost;
using namespace imghost::testing;
namespace fs = std::filesystem;

namespace {

// A folder holding the migrations of sql/ whose names sort before `version`; removed
// when this goes.
class MigrationsBefore {
 public:
  explicit MigrationsBefore(const std::string& version)
      : dir_(fs::absolute("build/integration-stores") / ("sql-before-" + version + "-" + std::to_string(::getpid()))) {
    fs::remove_all(dir_);
    fs::create_directories(dir_);
    for (const auto& e : fs::directory_iterator("sql"))
      if (e.path().extension() == ".sql" && e.path().filename().string() < version)
        fs::copy_file(e.path(), dir_ / e.path().filename());
  }
  ~MigrationsBefore() {
    std::error_code ec;
    fs::remove_all(dir_, ec);
  }
  const fs::path& dir() const { return dir_; }

 private:
  fs::path dir_;
};

}  // namespace

BOOST_AUTO_TEST_SUITE(migrations)

// sql/007 gives every image row its blob's name, size, format and dimensions: rows that
// exist when it runs get them from their blob, two images of one blob alike.
BOOST_AUTO_TEST_CASE(image_file_facts_are_filled_in_for_existing_rows) {
  Database database;
  db::Connection conn(database.conninfo());
  {
    MigrationsBefore before("007");
    const auto applied = admin::migrate(conn, before.dir());
    BOOST_TEST_REQUIRE(applied.size() == 6u);
  }
  conn.exec(
      "INSERT INTO blobs (sha256, name, size, format, width, height) VALUES"
      " (decode(repeat('aa', 32), 'hex'), 'aaaaaaaaaaaaaaaaaaaa.png', 1234, 'png', 40, 30),"
      " (decode(repeat('bb', 32), 'hex'), 'bbbbbbbbbbbbbbbbbbbb.jpg', 56789, 'jpeg', 640, 480);"
      "INSERT INTO images (id, sha256, original_filename, delete_token_hash, visibility) VALUES"
      " ('img1', decode(repeat('aa', 32), 'hex'), 'a.png', decode(repeat('01', 32), 'hex'), 'public'),"
      " ('img2', decode(repeat('bb', 32), 'hex'), 'b.jpg', decode(repeat('02', 32), 'hex'), 'unlisted'),"
      " ('img3', decode(repeat('bb', 32), 'hex'), 'b again.jpg', decode(repeat('03', 32), 'hex'), 'public')");

  const auto applied = admin::migrate(conn, "sql");
  BOOST_TEST_REQUIRE(!applied.empty());
  BOOST_TEST(applied.front() == "007_image_file_facts.sql");

  BOOST_TEST(first_value(conn,
                         "SELECT string_agg(concat_ws(' ', id, name, size, format, width, height), ', ' ORDER BY id)"
                         " FROM images") ==
             "img1 aaaaaaaaaaaaaaaaaaaa.png 1234 png 40 30, "
             "img2 bbbbbbbbbbbbbbbbbbbb.jpg 56789 jpeg 640 480, "
             "img3 bbbbbbbbbbbbbbbbbbbb.jpg 56789 jpeg 640 480");
  // And a row can no longer be written without them.
  BOOST_TEST(first_value(conn,
                         "SELECT count(*) FROM pg_attribute WHERE attrelid = 'images'::regclass AND attnotnull"
                         " AND attname IN ('name', 'size', 'format', 'width', 'height')") == "5");
}

// Rows written before sql/008 share a file name when their bytes are the same: migrate
// gives every image but the oldest a name of its own, a hard link to the same file (and
// its thumbnail), resumably; afterwards a delete takes its own name only.
BOOST_AUTO_TEST_CASE(images_sharing_a_file_name_get_names_of_their_own) {
  Database database;
  db::Connection conn(database.conninfo());
  {
    MigrationsBefore before("008");
    admin::migrate(conn, before.dir());
  }
  const fs::path root = fs::absolute("build/integration-stores") / ("own-names-" + std::to_string(::getpid()));
  fs::remove_all(root);
  const store::LocalStore s(root);
  const auto bytes = png_bytes(300);
  const auto sha = crypto::sha256(bytes);
  const std::string shared = naming::new_file_name(image::Format::png);
  auto staged = s.stage(bytes);
  s.place(staged, shared);
  s.put_thumbnail(shared, "its thumbnail");
  const std::string hex = "decode('" + crypto::to_hex(sha) + "', 'hex')";
  conn.exec("INSERT INTO blobs (sha256, name, size, format, width, height) VALUES (" + hex + ", '" + shared + "', " +
            std::to_string(bytes.size()) + ", 'png', 40, 30)");
  for (const char* id : {"img1", "img2", "img3"})
    conn.exec(
        std::string("INSERT INTO images (id, sha256, original_filename, delete_token_hash, visibility, name, size,"
                    " format, width, height) VALUES ('") +
        id + "', " + hex + ", 'x.png', decode(repeat('01', 32), 'hex'), 'public', '" + shared + "', " +
        std::to_string(bytes.size()) + ", 'png', 40, 30)");
  BOOST_TEST_REQUIRE(admin::migrate(conn, "sql").front() == "008_own_names.sql");

  AppLog log;
  std::FILE* out = std::tmpfile();
  BOOST_TEST(admin::give_own_names(s, conn, log, out).renamed == 2u);
  BOOST_TEST(first_value(conn, "SELECT count(DISTINCT name) FROM images") == "3");
  BOOST_TEST(first_value(conn, "SELECT name FROM images WHERE id = 'img1'") == shared, "the oldest keeps the name");
  BOOST_TEST(first_value(conn, "SELECT name FROM blobs") == shared);
  for (const char* id : {"img2", "img3"}) {
    const std::string own = first_value(conn, std::string("SELECT name FROM images WHERE id = '") + id + "'");
    BOOST_TEST(fs::equivalent(s.path(store::Object::original, own), s.path(store::Object::original, shared)),
               "the same bytes, stored once");
    BOOST_TEST((s.read(store::Object::thumbnail, own) == std::optional<std::string>("its thumbnail")));
  }
  BOOST_TEST(admin::give_own_names(s, conn, log, out).renamed == 0u, "a second run has nothing to do");
  std::fclose(out);

  // The oldest image's delete now takes its name alone; the others keep their links.
  const auto removed = image_removal::remove_image(conn, s, log, "img1", sha);
  BOOST_TEST_REQUIRE(removed.has_value());
  BOOST_TEST((removed->file == std::optional<std::string>(shared)));
  BOOST_TEST(!s.read(store::Object::original, shared).has_value());
  const std::string next = first_value(conn, "SELECT name FROM blobs");
  BOOST_TEST(next == first_value(conn, "SELECT name FROM images WHERE id = 'img2'"), "new uploads link from img2's");
  BOOST_TEST((s.read(store::Object::original, next) == std::optional<std::string>(bytes)));
  fs::remove_all(root);
}

BOOST_AUTO_TEST_SUITE_END()
