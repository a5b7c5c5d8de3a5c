// Migrations applied to rows written before them, as on a server that is upgraded: the
// schema is migrated up to a version (the sql/ files before it, copied to a folder of
// their own), rows are written in that schema, then `migrate` runs on the whole of sql/.
#include <unistd.h>
#include <boost/test/unit_test.hpp>
#include <filesystem>
#include <string>

#include "admin/migrate.hpp"
#include "fixture.hpp"

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

BOOST_AUTO_TEST_SUITE_END()
