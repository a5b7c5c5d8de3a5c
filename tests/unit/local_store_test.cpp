#include <boost/test/unit_test.hpp>

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <string>
#include <vector>

#include "domain/naming.hpp"
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
      {"ab/abcdefghijklmnopqrst.jpg", Kind::original, "abcdefghijklmnopqrst.jpg"},
      {"ab/abcdefghijklmnopqrst.webp", Kind::original, "abcdefghijklmnopqrst.webp"},
      {"thumbs/ab/abcdefghijklmnopqrst.png", Kind::thumbnail, "abcdefghijklmnopqrst.png"},
      // The legacy two-level layout, until relayout() moves them.
      {"ab/cd/abcdefghijklmnopqrst.jpg", Kind::original, "abcdefghijklmnopqrst.jpg"},
      {"ab/cd/abcdefghijklmnopqrst.webp", Kind::original, "abcdefghijklmnopqrst.webp"},
      {"thumbs/ab/cd/abcdefghijklmnopqrst.png", Kind::thumbnail, "abcdefghijklmnopqrst.png"},
      {".tmp/up-abcdefghijklmnop", Kind::staged, "up-abcdefghijklmnop"},
      {".tmp/anything", Kind::staged, "anything"},
      // A generated name in the wrong shard is not where the workers look for it.
      {"ac/abcdefghijklmnopqrst.jpg", Kind::foreign, "ac/abcdefghijklmnopqrst.jpg"},
      {"ab/ce/abcdefghijklmnopqrst.jpg", Kind::foreign, "ab/ce/abcdefghijklmnopqrst.jpg"},
      {"thumbs/ab/ce/abcdefghijklmnopqrst.jpg", Kind::foreign, "thumbs/ab/ce/abcdefghijklmnopqrst.jpg"},
      {"ab/ab/ab/abcdefghijklmnopqrst.jpg", Kind::foreign, "ab/ab/ab/abcdefghijklmnopqrst.jpg"},
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
    BOOST_TEST(store::shard_path(name) == name.substr(0, 2) + "/" + name);
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

// Opening a store makes only its root, .tmp/ and thumbs/ (the cleanup opens it on every
// run); make_shard_folders() makes the 2 x 1,024 shard folders once, a second call none;
// a shard folder removed by hand is made again by the write that needs it.
BOOST_AUTO_TEST_CASE(shard_folders_are_made_once_and_come_back_if_removed) {
  const auto root = std::filesystem::temp_directory_path() / ("imghost-shards-" + std::to_string(getpid()));
  std::filesystem::remove_all(root);
  auto shard_folders = [&] {
    std::size_t folders = 0;
    for (const auto& top : {root, root / "thumbs"})
      for (const auto& e : std::filesystem::directory_iterator(top))
        if (e.is_directory() && e.path().filename().string().size() == 2) ++folders;
    return folders;
  };
  {
    const store::LocalStore s(root);
    BOOST_TEST(std::filesystem::is_directory(root / ".tmp"));
    BOOST_TEST(std::filesystem::is_directory(root / "thumbs"));
    BOOST_TEST(shard_folders() == 0u);
    BOOST_TEST(s.make_shard_folders() == 2048u);
    BOOST_TEST(shard_folders() == 2048u);
    BOOST_TEST(s.make_shard_folders() == 0u);
    const auto name = imghost::naming::new_file_name(imghost::image::Format::jpeg);
    std::filesystem::remove(root / name.substr(0, 2));  // removed by hand
    std::filesystem::remove(root / "thumbs" / name.substr(0, 2));
    auto staged = s.stage("bytes");
    s.place(staged, name);
    BOOST_TEST(*s.read(Object::original, name) == "bytes");
    s.put_original_as_thumbnail(name, "bytes");
    BOOST_TEST(*s.read(Object::thumbnail, name) == "bytes");
    const store::LocalStore again(root);  // opening it again changes nothing
    BOOST_TEST(shard_folders() == 2048u);
  }
  std::filesystem::remove_all(root);
}

// A store of the legacy layout (ab/cd/<name>) is read as it is, and relayout() moves it:
// every file once, foreign files left alone, a run cut short (a file in both places)
// finished by the next, and a second run finds nothing to do.
BOOST_AUTO_TEST_CASE(legacy_layout_is_read_and_relayout_moves_it_once) {
  const auto root = std::filesystem::temp_directory_path() / ("imghost-relayout-" + std::to_string(getpid()));
  std::filesystem::remove_all(root);
  auto plant = [&](const std::string& rel, const std::string& bytes) {
    std::filesystem::create_directories((root / rel).parent_path());
    std::ofstream(root / rel, std::ios::binary) << bytes;
  };
  std::vector<std::string> names;
  for (int i = 0; i < 5; ++i) names.push_back(imghost::naming::new_file_name(imghost::image::Format::png));
  for (const auto& n : names) {
    plant(store::legacy_shard_path(n), "original " + n);
    plant("thumbs/" + store::legacy_shard_path(n), "thumb " + n);
  }
  const std::string foreign = names[0].substr(0, 2) + "/" + names[0].substr(2, 2) + "/notes.txt";
  plant(foreign, "an operator's file");
  // Cut short before: the file is already at its new place, its old link still there.
  plant(store::shard_path(names[1]), "original " + names[1]);
  {
    const store::LocalStore s(root);
    for (const auto& n : names) {
      BOOST_TEST(*s.read(Object::original, n) == "original " + n);
      BOOST_TEST(*s.read(Object::thumbnail, n) == "thumb " + n);
      BOOST_TEST(s.mtime(Object::original, n).has_value());
    }
    std::map<std::string, int> seen;
    s.walk([&](const store::Entry& e) { ++seen[std::to_string(static_cast<int>(e.kind)) + ":" + e.name]; });
    BOOST_TEST(seen["0:" + names[2]] == 1);
    BOOST_TEST(seen["1:" + names[2]] == 1);

    BOOST_TEST(s.relayout() == 10u);
    for (const auto& n : names) {
      BOOST_TEST(std::filesystem::is_regular_file(root / store::shard_path(n)));
      BOOST_TEST(std::filesystem::is_regular_file(root / "thumbs" / store::shard_path(n)));
      BOOST_TEST(!std::filesystem::exists(root / store::legacy_shard_path(n)));
      BOOST_TEST(!std::filesystem::exists((root / "thumbs" / store::legacy_shard_path(n)).parent_path()));
      BOOST_TEST(*s.read(Object::original, n) == "original " + n);
    }
    BOOST_TEST(std::filesystem::is_regular_file(root / foreign), "foreign files stay where they are");
    BOOST_TEST(s.relayout() == 0u);
    store::remove_both(s, names[3]);
    BOOST_TEST(!s.read(Object::original, names[3]));
  }
  // A legacy file removed through the store is gone from both places.
  plant(store::legacy_shard_path(names[4]), "again");
  {
    const store::LocalStore s(root);
    s.remove(Object::original, names[4]);
    BOOST_TEST(!std::filesystem::exists(root / store::legacy_shard_path(names[4])));
    BOOST_TEST(!std::filesystem::exists(root / store::shard_path(names[4])));
  }
  std::filesystem::remove_all(root);
}

BOOST_AUTO_TEST_CASE(staged_writer_writes_in_pieces_and_cleans_up) {
  const auto root = std::filesystem::temp_directory_path() / ("imghost-writer-" + std::to_string(getpid()));
  std::filesystem::remove_all(root);
  {
    const store::LocalStore s(root);
    {
      auto w = s.stage_writer();
      w.write("never ");
    }
    BOOST_TEST(std::filesystem::is_empty(root / ".tmp"), "an unfinished writer leaves nothing");
    auto w = s.stage_writer();
    w.write("in ");
    w.write("");
    w.write("pieces");
    BOOST_TEST(w.size() == 9u);
    auto staged = w.finish(false);
    BOOST_TEST(!staged.durable());
    const auto name = imghost::naming::new_file_name(imghost::image::Format::gif);
    s.place(staged, name);  // syncs it first
    BOOST_TEST(*s.read(Object::original, name) == "in pieces");
    BOOST_TEST(s.stage("x", true).durable());
  }
  std::filesystem::remove_all(root);
}

BOOST_AUTO_TEST_CASE(a_staged_link_is_the_same_file_and_none_across_filesystems) {
  const auto root = std::filesystem::temp_directory_path() / ("imghost-link-" + std::to_string(getpid()));
  std::filesystem::remove_all(root);
  {
    const store::LocalStore s(root);
    const auto data = root / "upload-data";
    std::ofstream(data) << "the bytes";
    {
      auto linked = s.stage_link(data, true);
      BOOST_REQUIRE(linked);
      BOOST_TEST(linked->durable());
      BOOST_TEST(std::filesystem::equivalent(linked->path(), data), "a second name, not a copy");
      BOOST_TEST(linked->path().parent_path() == root / ".tmp");
      BOOST_TEST(!s.stage_link(data, false)->durable());
    }
    BOOST_TEST(std::filesystem::is_empty(root / ".tmp"), "the links go with their Staged");
    BOOST_TEST(std::filesystem::exists(data), "the file itself stays");
    // /proc is never the store's filesystem: link() says EXDEV, the caller copies.
    BOOST_TEST(!s.stage_link("/proc/self/status", false));
    BOOST_CHECK_THROW(s.stage_link(root / "no-such-file", false), std::system_error);
  }
  std::filesystem::remove_all(root);
}

BOOST_AUTO_TEST_SUITE_END()
