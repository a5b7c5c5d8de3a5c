// The admin area through handle(), against a real PostgreSQL and store: the area is 404
// to everyone but an admin, the dashboard counts the database's days in UTC, removing an
// account's uploads takes their rows and files, and a refused action changes nothing.
// (An admin's Bearer token acts without the session's CSRF token: it is no ambient
// credential.)
#include <boost/test/unit_test.hpp>
#include <regex>

#include "fixture.hpp"

using namespace imghost::testing;

namespace {

struct AdminEnv {
  Env env;
  std::string owner = signup(env, "owner");
  std::string boss = [this] {
    auto t = signup(env, "boss");
    env.query("UPDATE users SET is_admin = true WHERE username = 'boss'");
    return t;
  }();

  imghost::http::Response get(const std::string& path, const std::string& token, const std::string& query = "") {
    StringRequest r("GET", path, query, {{"Authorization", "Bearer " + token}});
    return env.run(r);
  }
  imghost::http::Response post(const std::string& path, const std::string& token, const std::string& body) {
    StringRequest r("POST", path, "",
                    {{"Authorization", "Bearer " + token}, {"Content-Type", "application/x-www-form-urlencoded"}},
                    body);
    return env.run(r);
  }
  void upload_as_owner(int seed) {
    auto r =
        upload_request("/api/v1/images", {{"file", "p.png", png_bytes(seed)}}, {{"Authorization", "Bearer " + owner}});
    BOOST_TEST_REQUIRE(env.run(r).status == 201);
  }
};

// The uploads of each bar of the chart, oldest first.
std::vector<long long> bars(const std::string& page) {
  static const std::regex bar(R"re(data-uploads="(\d+)")re");
  std::vector<long long> out;
  for (auto it = std::sregex_iterator(page.begin(), page.end(), bar); it != std::sregex_iterator(); ++it)
    out.push_back(std::stoll((*it)[1]));
  return out;
}

}  // namespace

BOOST_AUTO_TEST_SUITE(admin_pages_flow)

BOOST_FIXTURE_TEST_CASE(the_area_does_not_exist_for_a_non_admin, AdminEnv) {
  upload_as_owner(1);
  for (const auto* path : {"/admin", "/admin/reports", "/admin/users", "/admin/users/owner", "/admin/audit"}) {
    BOOST_TEST(get(path, owner).status == 404, path);
    BOOST_TEST(get(path, boss).status == 200, path);
  }
  BOOST_TEST(post("/admin/users/owner/remove", owner, "reason=mine").status == 404);
  BOOST_TEST(env.count("images") == 1);
  BOOST_TEST(env.count("audit_log") == 0);
}

BOOST_FIXTURE_TEST_CASE(the_chart_counts_each_utc_day_with_empty_days_as_zero, AdminEnv) {
  for (int seed = 1; seed <= 3; ++seed) upload_as_owner(seed);
  env.query("UPDATE images SET created_at = now() - interval '2 days' WHERE seq = (SELECT min(seq) FROM images)");
  const auto page = get("/admin", boss).body;
  const auto b = bars(page);
  BOOST_TEST_REQUIRE(b.size() == 30u);
  BOOST_TEST(b[29] == 2);
  BOOST_TEST(b[27] == 1);
  long long total = 0;
  for (auto n : b) total += n;
  BOOST_TEST(total == 3);
  BOOST_TEST(page.find(R"(<dd data-count="images">3</dd>)") != std::string::npos);
}

BOOST_FIXTURE_TEST_CASE(removing_an_accounts_uploads_takes_rows_and_files_and_is_audited, AdminEnv) {
  for (int seed = 1; seed <= 3; ++seed) upload_as_owner(seed);
  BOOST_TEST(originals_in_store(env) == 3u);
  const auto confirm = get("/admin/users/owner/remove", boss);
  BOOST_TEST(confirm.body.find("Remove all 3 uploads of owner?") != std::string::npos);
  const auto r = post("/admin/users/owner/remove", boss, "reason=spam+run");
  BOOST_TEST(r.status == 303);
  BOOST_TEST(header_of(r, "Location").value_or("") == "/admin/users/owner?done=removed&n=3");
  BOOST_TEST(env.count("images") == 0);
  BOOST_TEST(originals_in_store(env) == 0u);
  BOOST_TEST(env.query("SELECT used_bytes FROM users WHERE username = 'owner'") == "0");
  BOOST_TEST(env.query("SELECT action || ' ' || target || ': ' || reason FROM audit_log") ==
             "remove_uploads owner: spam run (3 removed)");
}

BOOST_FIXTURE_TEST_CASE(a_refused_action_changes_nothing, AdminEnv) {
  struct Case {
    const char* path;
    std::string body;
    int status;
  };
  const Case cases[] = {
      {"/admin/users/owner/quota", "quota=2M&reason=" + std::string(990, 'x'), 400},  // no room for the new quota
      {"/admin/users/owner/quota", "quota=lots&reason=why", 400},
      {"/admin/users/owner/status", "action=disable&reason=", 400},
      {"/admin/users/owner/status", "action=explode&reason=why", 400},
      {"/admin/users/boss/status", "action=disable&reason=oops", 409},  // never oneself
      {"/admin/users/nobody/status", "action=disable&reason=why", 404},
      {"/admin/reports", "target=aaaaaaaaaaaaaaaaaaaa&action=takedown&reason=why", 404},
  };
  for (const auto& c : cases)
    BOOST_TEST(post(c.path, boss, c.body).status == c.status, c.path << " " << c.body.substr(0, 40));
  BOOST_TEST(env.query("SELECT quota_bytes IS NULL AND NOT disabled FROM users WHERE username = 'owner'") == "t");
  BOOST_TEST(env.query("SELECT disabled FROM users WHERE username = 'boss'") == "f");
  BOOST_TEST(env.count("audit_log") == 0);
}

BOOST_AUTO_TEST_SUITE_END()
