#include <boost/test/unit_test.hpp>

#include "admin/fsck.hpp"

namespace admin = imghost::admin;

BOOST_AUTO_TEST_SUITE(fsck)

BOOST_AUTO_TEST_CASE(most_files_missing_looks_like_an_unmounted_store) {
  struct Case {
    std::size_t missing, total;
    bool unmounted;
  };
  const Case cases[] = {
      {0, 0, false}, {1, 1, false},     {2, 2, false},     {3, 3, true},       {3, 6, false},
      {4, 6, true},  {10, 1000, false}, {600, 1000, true}, {1000, 1000, true},
  };
  for (const auto& c : cases) {
    BOOST_TEST_CONTEXT(c.missing << " of " << c.total) {
      BOOST_TEST(admin::looks_unmounted(c.missing, c.total) == c.unmounted);
    }
  }
}

BOOST_AUTO_TEST_CASE(summary_counts_problems_and_what_remains) {
  admin::FsckResult r;
  BOOST_TEST(admin::summary(r).in("en") == "repair check found 0 problems, fixed 0.");
  r.problems = 1;
  BOOST_TEST(admin::summary(r).in("en") == "repair check found 1 problem, fixed 0; 1 remains.");
  r.problems = 3;
  r.fixed = 1;
  BOOST_TEST(admin::summary(r).in("en") == "repair check found 3 problems, fixed 1; 2 remain.");
  r.fixed = 3;
  BOOST_TEST(admin::summary(r).in("en") == "repair check found 3 problems, fixed 3.");
}

BOOST_AUTO_TEST_SUITE_END()
