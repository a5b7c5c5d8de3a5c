// Accounts through handle(): the settings that change who may do what (anonymous
// uploads off, signup closed or by invite), sessions and the CSRF rule, quotas and
// ownership in the upload's transaction, against a real PostgreSQL and store.
#include <boost/test/unit_test.hpp>
#include <nlohmann/json.hpp>

#include "core/accounts.hpp"
#include "fixture.hpp"

using namespace imghost::testing;
using nlohmann::json;
namespace accounts = imghost::accounts;

namespace {}  // namespace

BOOST_AUTO_TEST_SUITE(accounts_flow)

BOOST_AUTO_TEST_CASE(anonymous_uploads_off_needs_an_account) {
  Env env;
  const auto token = signup(env, "owner");
  const_cast<imghost::Config&>(env.app().config()).anonymous_uploads = false;
  auto anon = upload_request("/api/v1/images", {{"file", "a.png", png_bytes(1)}});
  const auto r = env.run(anon);
  BOOST_TEST(r.status == 401);
  BOOST_TEST(error_code(r) == "unauthorized");
  BOOST_TEST(env.count("images") == 0);
  auto owned =
      upload_request("/api/v1/images", {{"file", "a.png", png_bytes(1)}}, {{"Authorization", "Bearer " + token}});
  const auto ok = env.run(owned);
  BOOST_TEST(ok.status == 201, ok.body);
  BOOST_TEST(json::parse(ok.body)["owner"] == "owner");
}

BOOST_AUTO_TEST_CASE(signup_closed_or_by_invite) {
  Env env;
  auto& cfg = const_cast<imghost::Config&>(env.app().config());
  cfg.signup = imghost::SignupMode::closed;
  auto closed = json_post("/api/v1/users", {{"username", "nobody"}, {"password", "long enough"}});
  BOOST_TEST(env.run(closed).status == 403);

  cfg.signup = imghost::SignupMode::invite;
  auto without = json_post("/api/v1/users", {{"username", "carol"}, {"password", "long enough"}});
  BOOST_TEST(env.run(without).status == 403);
  const auto code = accounts::create_invite(env.app().db(), 7);
  auto with = json_post("/api/v1/users", {{"username", "carol"}, {"password", "long enough"}, {"invite", code}});
  const auto r = env.run(with);
  BOOST_TEST(r.status == 201, r.body);
  auto again = json_post("/api/v1/users", {{"username", "dave"}, {"password", "long enough"}, {"invite", code}});
  BOOST_TEST(env.run(again).status == 403, "an invite is used once");
  BOOST_TEST(env.count("users") == 1);
  BOOST_TEST(env.query("SELECT count(*) FROM invites WHERE used_by IS NOT NULL") == "1");
}

BOOST_AUTO_TEST_CASE(quota_is_checked_in_the_upload_transaction_and_nothing_is_left) {
  Env env;
  const auto token = signup(env, "small");
  const auto png = png_bytes(7);
  env.query("UPDATE users SET quota_bytes = " + std::to_string(png.size() * 2 - 1));
  auto first = upload_request("/api/v1/images", {{"file", "a.png", png}}, {{"Authorization", "Bearer " + token}});
  BOOST_TEST(env.run(first).status == 201);
  auto second = upload_request("/api/v1/images", {{"file", "b.png", png_bytes(8)}, {"file", "c.png", png_bytes(9)}},
                               {{"Authorization", "Bearer " + token}});
  const auto r = env.run(second);
  BOOST_TEST(r.status == 403);
  BOOST_TEST(error_code(r) == "quota_exceeded");
  BOOST_TEST(env.count("images") == 1);
  BOOST_TEST(env.count("blobs") == 1, "the placed files of the refused upload are removed");
  BOOST_TEST(env.query("SELECT used_bytes FROM users") == std::to_string(png.size()));
}

BOOST_AUTO_TEST_CASE(session_cookie_and_csrf_rule) {
  Env env;
  signup(env, "erin");
  // The login form first: its form key cookie and the token it echoes (login CSRF).
  StringRequest form("GET", "/login", "", {}, "");
  const auto page = env.run(form);
  const auto form_key_set = *header_of(page, "Set-Cookie");
  const auto form_key = form_key_set.substr(0, form_key_set.find(';'));
  const auto form_key_value = form_key.substr(form_key.find('=') + 1);
  BOOST_TEST(page.body.find(accounts::csrf_token(form_key_value)) != std::string::npos);
  StringRequest login("POST", "/login", "",
                      {{"Content-Type", "application/x-www-form-urlencoded"}, {"Cookie", form_key}},
                      "username=erin&password=correct+horse&csrf=" + accounts::csrf_token(form_key_value));
  const auto r = env.run(login);
  BOOST_TEST_REQUIRE(r.status == 303, r.body);
  const auto set = *header_of(r, "Set-Cookie");
  const auto cookie = set.substr(0, set.find(';'));
  const auto session = cookie.substr(cookie.find('=') + 1);
  const auto csrf = accounts::csrf_token(session);

  StringRequest forged("POST", "/account/tokens", "",
                       {{"Cookie", cookie}, {"Content-Type", "application/x-www-form-urlencoded"}}, "name=x");
  BOOST_TEST(env.run(forged).status == 403);
  StringRequest good("POST", "/account/tokens", "",
                     {{"Cookie", cookie}, {"Content-Type", "application/x-www-form-urlencoded"}},
                     "name=web&csrf=" + csrf);
  const auto created = env.run(good);
  BOOST_TEST(created.status == 201, created.body);
  BOOST_TEST(created.body.find("action=\"/account/tokens/sharex\"") != std::string::npos,
             "the page offers the ShareX file as a download");
  BOOST_TEST(env.count("api_tokens") == 2);
  const auto at = created.body.find("name=\"token\" value=\"");
  BOOST_TEST_REQUIRE(at != std::string::npos);
  const auto secret = created.body.substr(at + 20, created.body.find('"', at + 20) - at - 20);
  StringRequest download("POST", "/account/tokens/sharex", "",
                         {{"Cookie", cookie}, {"Content-Type", "application/x-www-form-urlencoded"}},
                         "token=" + secret + "&csrf=" + csrf);
  const auto file = env.run(download);
  BOOST_TEST(file.status == 200, file.body);
  BOOST_TEST(file.body.find("FileFormName") != std::string::npos, "the download is the ShareX file");
  BOOST_TEST(*header_of(file, "Content-Disposition") == "attachment; filename=\"imghost.sxcu\"");

  StringRequest logout("POST", "/logout", "",
                       {{"Cookie", cookie}, {"Content-Type", "application/x-www-form-urlencoded"}}, "csrf=" + csrf);
  BOOST_TEST(env.run(logout).status == 303);
  BOOST_TEST(env.count("sessions") == 0);
  StringRequest me("GET", "/api/v1/me", "", {{"Cookie", cookie}});
  BOOST_TEST(env.run(me).status == 401);
}

// An upload's body is streamed, never read whole for its CSRF field: the field must come
// before the files, and a body that breaks that rule is refused before any file is staged.
BOOST_AUTO_TEST_CASE(session_upload_needs_its_csrf_field_before_the_files) {
  Env env;
  signup(env, "fay");
  const auto session = accounts::start_session(env.app(), std::stoll(env.query("SELECT id FROM users")));
  const std::map<std::string, std::string> cookie{{"Cookie", "imghost_session=" + session}};
  const FormField token{"csrf", std::nullopt, accounts::csrf_token(session)};
  const FormField file{"file", "a.png", png_bytes(11)};
  const std::vector<std::pair<std::string, std::vector<FormField>>> refused = {
      {"after the file", {file, token}},
      {"wrong", {{"csrf", std::nullopt, std::string(40, '0')}, file}},
      {"missing", {{"description", std::nullopt, "no token"}, file}},
  };
  for (const auto& [what, fields] : refused) {
    auto req = upload_request("/api/v1/images", fields, cookie);
    const auto r = env.run(req);
    BOOST_TEST(r.status == 403, what << ": " << r.body);
    BOOST_TEST(originals_in_store(env) == 0u, what);
    BOOST_TEST(std::filesystem::is_empty(env.store_dir() / ".tmp"), what << ": nothing staged");
  }
  auto good = upload_request("/api/v1/images", {{"description", std::nullopt, "first"}, token, file}, cookie);
  const auto ok = env.run(good);
  BOOST_TEST(ok.status == 201, ok.body);
  BOOST_TEST(json::parse(ok.body)["owner"] == "fay");
}

BOOST_AUTO_TEST_SUITE_END()
