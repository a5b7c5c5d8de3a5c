#include <boost/test/unit_test.hpp>

#include <cctype>
#include <string>

#include "admin/fsck.hpp"
#include "base/crypto.hpp"

namespace admin = imghost::admin;
using admin::EntryKind;

BOOST_AUTO_TEST_SUITE(fsck)

BOOST_AUTO_TEST_CASE(store_paths_are_classified_by_shape) {
  struct Case {
    const char* path;
    EntryKind kind;
    const char* name;
  };
  const Case cases[] = {
      {"ab/cd/abcdefghijklmnopqrst.jpg", EntryKind::original, "abcdefghijklmnopqrst.jpg"},
      {"ab/cd/abcdefghijklmnopqrst.webp", EntryKind::original, "abcdefghijklmnopqrst.webp"},
      {"thumbs/ab/cd/abcdefghijklmnopqrst.png", EntryKind::thumbnail, "abcdefghijklmnopqrst.png"},
      {".tmp/up-abcdefghijklmnop", EntryKind::staged, "up-abcdefghijklmnop"},
      {".tmp/anything", EntryKind::staged, "anything"},
      // A generated name in the wrong shard is not where the workers look for it.
      {"ab/ce/abcdefghijklmnopqrst.jpg", EntryKind::foreign, "abcdefghijklmnopqrst.jpg"},
      {"thumbs/ab/ce/abcdefghijklmnopqrst.jpg", EntryKind::foreign, "abcdefghijklmnopqrst.jpg"},
      {"abcdefghijklmnopqrst.jpg", EntryKind::foreign, "abcdefghijklmnopqrst.jpg"},
      {"ab/cd/abcdefghijklmnopqrst.svg", EntryKind::foreign, "abcdefghijklmnopqrst.svg"},
      {"ab/cd/ABCDEFGHIJKLMNOPQRST.jpg", EntryKind::foreign, "ABCDEFGHIJKLMNOPQRST.jpg"},
      {"ab/cd/notes.txt", EntryKind::foreign, "notes.txt"},
      {"lost+found/#1234", EntryKind::foreign, "#1234"},
      {".tmp/sub/up-x", EntryKind::foreign, "up-x"},
      {"x/ab/cd/abcdefghijklmnopqrst.jpg", EntryKind::foreign, "abcdefghijklmnopqrst.jpg"},
  };
  for (const auto& c : cases) {
    BOOST_TEST_CONTEXT(c.path) {
      const auto e = admin::classify(c.path);
      BOOST_TEST(static_cast<int>(e.kind) == static_cast<int>(c.kind));
      BOOST_TEST(e.name == c.name);
    }
  }
}

BOOST_AUTO_TEST_CASE(most_files_missing_looks_like_an_unmounted_store) {
  struct Case {
    std::size_t missing, total;
    bool unmounted;
  };
  const Case cases[] = {
      {0, 0, false},     {1, 1, false},   {2, 2, false},       {3, 3, true},
      {3, 6, false},     {4, 6, true},    {10, 1000, false},   {600, 1000, true},
      {1000, 1000, true},
  };
  for (const auto& c : cases) {
    BOOST_TEST_CONTEXT(c.missing << " of " << c.total) {
      BOOST_TEST(admin::looks_unmounted(c.missing, c.total) == c.unmounted);
    }
  }
}

BOOST_AUTO_TEST_CASE(summary_counts_problems_and_what_remains) {
  admin::FsckResult r;
  BOOST_TEST(admin::summary(r) == "repair check found 0 problems, fixed 0.");
  r.problems = 1;
  BOOST_TEST(admin::summary(r) == "repair check found 1 problem, fixed 0; 1 remains.");
  r.problems = 3;
  r.fixed = 1;
  BOOST_TEST(admin::summary(r) == "repair check found 3 problems, fixed 1; 2 remain.");
  r.fixed = 3;
  BOOST_TEST(admin::summary(r) == "repair check found 3 problems, fixed 3.");
}

BOOST_AUTO_TEST_CASE(sha256_hex_round_trips_and_rejects_junk) {
  const auto d = imghost::crypto::sha256("imghost");
  const auto hex = imghost::crypto::hex(d);
  BOOST_TEST((admin::parse_sha256_hex(hex) == d));
  std::string upper = hex;
  for (auto& ch : upper) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  BOOST_TEST((admin::parse_sha256_hex(upper) == d));
  BOOST_TEST(!admin::parse_sha256_hex(hex.substr(1)));
  BOOST_TEST(!admin::parse_sha256_hex(hex + "0"));
  BOOST_TEST(!admin::parse_sha256_hex(std::string(64, 'g')));
  BOOST_TEST(!admin::parse_sha256_hex(""));
}

BOOST_AUTO_TEST_SUITE_END()
