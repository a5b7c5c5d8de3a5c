#include <boost/test/unit_test.hpp>

#include <unistd.h>

#include <filesystem>
#include <map>
#include <string>

#include "core/naming.hpp"
#include "store/local_store.hpp"

namespace store = imghost::store;
using Kind = store::Entry::Kind;
using store::Object;

BOOST_AUTO_TEST_SUITE(local_store)

BOOST_AUTO_TEST_CASE(store_paths_are_classified_by_shape) {
  struct Case {
    const char* path;
    Kind kind;
    const char* name;
  };
  const Case cases[] = {
      {"ab/cd/abcdefghijklmnopqrst.jpg", Kind::original, "abcdefghijklmnopqrst.jpg"},
      {"ab/cd/abcdefghijklmnopqrst.webp", Kind::original, "abcdefghijklmnopqrst.webp"},
      {"thumbs/ab/cd/abcdefghijklmnopqrst.png", Kind::thumbnail, "abcdefghijklmnopqrst.png"},
      {".tmp/up-abcdefghijklmnop", Kind::staged, "up-abcdefghijklmnop"},
      {".tmp/anything", Kind::staged, "anything"},
      // A generated name in the wrong shard is not where the workers look for it.
      {"ab/ce/abcdefghijklmnopqrst.jpg", Kind::foreign, "ab/ce/abcdefghijklmnopqrst.jpg"},
      {"thumbs/ab/ce/abcdefghijklmnopqrst.jpg", Kind::foreign, "thumbs/ab/ce/abcdefghijklmnopqrst.jpg"},
      {"abcdefghijklmnopqrst.jpg", Kind::foreign, "abcdefghijklmnopqrst.jpg"},
      {"ab/cd/abcdefghijklmnopqrst.svg", Kind::foreign, "ab/cd/abcdefghijklmnopqrst.svg"},
      {"ab/cd/ABCDEFGHIJKLMNOPQRST.jpg", Kind::foreign, "ab/cd/ABCDEFGHIJKLMNOPQRST.jpg"},
      {"ab/cd/notes.txt", Kind::foreign, "ab/cd/notes.txt"},
      {"lost+found/#1234", Kind::foreign, "lost+found/#1234"},
      {".tmp/sub/up-x", Kind::foreign, ".tmp/sub/up-x"},
      {"x/ab/cd/abcdefghijklmnopqrst.jpg", Kind::foreign, "x/ab/cd/abcdefghijklmnopqrst.jpg"},
  };
  for (const auto& c : cases) {
    BOOST_TEST_CONTEXT(c.path) {
      const auto e = store::classify_local_path(c.path);
      BOOST_TEST(static_cast<int>(e.kind) == static_cast<int>(c.kind));
      BOOST_TEST(e.name == c.name);
    }
  }
}

BOOST_AUTO_TEST_CASE(objects_round_trip_and_walk_reports_each_once) {
  const auto root = std::filesystem::temp_directory_path() / ("imghost-store-" + std::to_string(getpid()));
  std::filesystem::remove_all(root);
  {
    const store::LocalStore s(root);
    const auto name = imghost::naming::new_file_name(imghost::image::Format::png);
    BOOST_TEST(!s.read(Object::original, name));
    BOOST_TEST(!s.mtime(Object::original, name));
    auto staged = s.stage("original bytes");
    BOOST_TEST(std::filesystem::exists(staged.path()));
    s.place(staged, name);
    BOOST_TEST(staged.empty());
    s.put_thumbnail(name, "thumb bytes");
    BOOST_TEST(*s.read(Object::original, name) == "original bytes");
    BOOST_TEST(*s.read(Object::thumbnail, name) == "thumb bytes");
    BOOST_TEST(s.path(Object::original, name) == root / store::shard_path(name));
    BOOST_TEST(s.where(Object::thumbnail, name) == "thumbs/" + store::shard_path(name));
    {
      auto abandoned = s.stage("never placed");  // removed when it goes out of scope
    }
    auto kept = s.stage("left behind");
    const auto kept_name = kept.path().filename().string();
    kept.release();  // as a killed worker would leave it
    std::map<std::string, int> seen;
    s.walk([&](const store::Entry& e) { ++seen[std::to_string(static_cast<int>(e.kind)) + ":" + e.name]; });
    BOOST_TEST(seen.size() == 3u);
    BOOST_TEST(seen["0:" + name] == 1);
    BOOST_TEST(seen["1:" + name] == 1);
    BOOST_TEST(seen["2:" + kept_name] == 1);
    s.remove_staged(kept_name);
    store::remove_both(s, name);
    store::remove_both(s, name);  // already gone: not an error
    BOOST_TEST(!s.read(Object::original, name));
    BOOST_CHECK_THROW(s.remove_staged("../escape"), std::system_error);
    BOOST_TEST(s.writable());
  }
  std::filesystem::remove_all(root);
}

BOOST_AUTO_TEST_SUITE_END()
