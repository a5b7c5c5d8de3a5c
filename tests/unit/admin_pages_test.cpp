// The admin area's pages as text: the dashboard's chart (one bar per day, scaled to the
// busiest, named for screen readers), escaping of what uploaders chose, and the header's
// link to the area, shown only when the handlers found an admin.
#include <boost/test/unit_test.hpp>
#include <regex>

#include "domain/config.hpp"
#include "domain/static_assets.hpp"
#include "render/admin_pages.hpp"

namespace pages = imghost::pages;

BOOST_AUTO_TEST_SUITE(admin_pages)

namespace {

struct SiteFixture {
  imghost::Config config = imghost::Config::from("", {});
  imghost::StaticAssets assets = imghost::StaticAssets::load("static");  // the tests run from the project's root
  pages::Site site{config, assets};
};

// The heights of the chart's bars, in the page's order.
std::vector<std::string> bar_heights(const std::string& page) {
  static const std::regex bar(R"re(<rect class="bar" [^>]*height="([0-9.]+)" data-day="[^"]+" data-uploads="\d+">)re");
  std::vector<std::string> out;
  for (auto it = std::sregex_iterator(page.begin(), page.end(), bar); it != std::sregex_iterator(); ++it)
    out.push_back((*it)[1]);
  return out;
}

}  // namespace

BOOST_FIXTURE_TEST_CASE(the_chart_draws_one_bar_a_day_scaled_to_the_busiest, SiteFixture) {
  struct Case {
    std::vector<long long> uploads;
    std::vector<std::string> heights;  // the plot is 146 units tall
  };
  const Case cases[] = {
      {{0, 5, 10}, {"0.0", "73.0", "146.0"}},
      {{0, 0, 0}, {"0.0", "0.0", "0.0"}},  // an empty month: no bar, no division by zero
      {{1000, 1}, {"146.0", "1.0"}},       // a day with one upload stays visible
      {{3}, {"146.0"}},
  };
  for (const auto& c : cases) {
    imghost::Dashboard d;
    for (std::size_t i = 0; i < c.uploads.size(); ++i)
      d.per_day.push_back({"2026-11-0" + std::to_string(i + 1), c.uploads[i]});
    BOOST_TEST(bar_heights(pages::admin_dashboard(site, d)) == c.heights, boost::test_tools::per_element());
  }
}

BOOST_FIXTURE_TEST_CASE(the_chart_is_an_image_with_a_name_and_every_days_count, SiteFixture) {
  imghost::Dashboard d;
  d.per_day = {{"2026-11-01", 2}, {"2026-11-02", 1}};
  const auto page = pages::admin_dashboard(site, d);
  BOOST_TEST(page.find(R"(role="img" aria-labelledby="chart-title chart-desc")") != std::string::npos);
  BOOST_TEST(page.find(R"(<title id="chart-title">Uploads per day, the last 2 days: 3 in all</title>)") !=
             std::string::npos);
  BOOST_TEST(page.find(R"(<desc id="chart-desc">2026-11-01: 2 uploads; 2026-11-02: 1 upload</desc>)") !=
             std::string::npos);
  BOOST_TEST(page.find("<script>") == std::string::npos);
}

BOOST_FIXTURE_TEST_CASE(what_uploaders_chose_is_escaped, SiteFixture) {
  imghost::Dashboard d;
  imghost::ImageRecord r;
  r.id = "abcdefghijklmnopqrst";
  r.name = "abcdefghijklmnopqrst.png";
  r.original_filename = "<img src=x onerror=alert(1)>.png";
  r.width = r.height = 10;
  d.recent.push_back(r);
  const auto page = pages::admin_dashboard(site, d);
  BOOST_TEST(page.find("<img src=x") == std::string::npos);
  BOOST_TEST(page.find("&lt;img src=x onerror=alert(1)&gt;.png") != std::string::npos);
}

BOOST_FIXTURE_TEST_CASE(the_header_links_to_the_area_only_when_an_admin_asks, SiteFixture) {
  const auto with = [&](bool shown) {
    pages::show_admin_link(shown);
    auto page = pages::layout(site, "t", "<p>x</p>");
    pages::show_admin_link(false);
    return page;
  };
  BOOST_TEST(with(true).find(R"(<a href="/admin">)") != std::string::npos);
  BOOST_TEST(with(false).find(R"(href="/admin")") == std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()
