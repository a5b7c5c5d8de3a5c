// Pure parts of accounts: password hashing, name and password rules, CSRF tokens, the
// account settings, and the metrics block shared across fork().
#include <sys/wait.h>
#include <unistd.h>

#include <boost/test/unit_test.hpp>
#include <string>

#include "base/password.hpp"
#include "core/accounts.hpp"
#include "domain/config.hpp"
#include "domain/error.hpp"
#include "metrics/metrics.hpp"

namespace accounts = imghost::accounts;
namespace password = imghost::password;
namespace metrics = imghost::metrics;

BOOST_AUTO_TEST_SUITE(accounts_rules)

BOOST_AUTO_TEST_CASE(argon2id_hash_verifies_only_its_password_and_carries_the_parameters) {
  const auto h = password::hash("correct horse battery");
  BOOST_TEST(h.starts_with("$argon2id$v=19$m=12288,t=3,p=1$"));
  BOOST_TEST(password::verify(h, "correct horse battery"));
  BOOST_TEST(!password::verify(h, "correct horse batterY"));
  BOOST_TEST(!password::verify(h, ""));
  BOOST_TEST(password::hash("correct horse battery") != h, "a fresh salt every time");
  BOOST_TEST(!password::needs_rehash(h));
  BOOST_TEST(!password::verify("$argon2i$v=19$garbage", "x"));
  BOOST_TEST(!password::verify(std::string(500, '$'), "x"));
  BOOST_TEST(password::verify(password::decoy(), "anything") == false);
}

BOOST_AUTO_TEST_CASE(usernames) {
  for (const char* ok : {"bob", "Alice_99", "a.b-c", "0xdeadbeef", "abcdefghijklmnopqrstuvwxyz012345"})
    BOOST_CHECK_NO_THROW(accounts::check_username(ok));
  for (const char* bad : {"", "ab", "_bob", ".bob", "bob\n", "bob\x1b", "b b",
                          "b\xc3\xb6"
                          "b",
                          "bob/x", "abcdefghijklmnopqrstuvwxyz0123456"})
    BOOST_CHECK_THROW(accounts::check_username(bad), imghost::Error);
  BOOST_CHECK_THROW(accounts::check_username(std::string(10000, 'a')), imghost::Error);
}

BOOST_AUTO_TEST_CASE(passwords) {
  BOOST_CHECK_NO_THROW(accounts::check_password("eight ch"));
  BOOST_CHECK_NO_THROW(accounts::check_password("pässwörd ünïcode"));
  for (const std::string& bad : {std::string("short"), std::string("tab\there!"), std::string(1025, 'x'),
                                 std::string("bad\xff utf-8"), std::string("nul\0inside", 10)})
    BOOST_CHECK_THROW(accounts::check_password(bad), imghost::Error);
}

BOOST_AUTO_TEST_CASE(csrf_token_belongs_to_its_session_and_does_not_reveal_it) {
  const std::string a = "abcdefghijklmnopqrstuvwxyz234567", b = "bbcdefghijklmnopqrstuvwxyz234567";
  const auto t = accounts::csrf_token(a);
  BOOST_TEST(t.size() == 40u);
  BOOST_TEST(t.find(a) == std::string::npos);
  BOOST_TEST(accounts::csrf_matches(a, t));
  BOOST_TEST(!accounts::csrf_matches(b, t));
  BOOST_TEST(!accounts::csrf_matches(a, ""));
  BOOST_TEST(!accounts::csrf_matches(a, t.substr(0, 39)));
}

BOOST_AUTO_TEST_CASE(account_settings) {
  const auto d = imghost::Config::from("", {});
  BOOST_TEST((d.signup == imghost::SignupMode::open));
  BOOST_TEST(d.anonymous_uploads);
  BOOST_TEST(d.default_quota == 1ull << 30);
  const auto c = imghost::Config::from(
      "signup = invite\nanonymous_uploads = off\ndefault_quota = 100M\n",
      {{"IMGHOST_UPLOAD_RATE", "2/s"}, {"IMGHOST_LOGIN_BURST", "0"}, {"IMGHOST_METRICS_LISTEN", "127.0.0.1:9999"}});
  BOOST_TEST((c.signup == imghost::SignupMode::invite));
  BOOST_TEST(!c.anonymous_uploads);
  BOOST_TEST(c.default_quota == 100ull << 20);
  BOOST_TEST(c.upload_rate.per_minute == 120u);
  BOOST_TEST(c.login_rate.burst == 0u);
  BOOST_TEST(*c.get("upload_rate") == "120/m");
  BOOST_TEST(*c.get("metrics_listen") == "127.0.0.1:9999");
  for (const char* bad : {"signup = maybe", "upload_rate = fast", "upload_rate = 0/m", "metrics_listen = 9464",
                          "metrics_listen = 127.0.0.1:99999", "login_rate = 3/h"})
    BOOST_CHECK_THROW(imghost::Config::from(bad, {}), imghost::ConfigError);
}

BOOST_AUTO_TEST_CASE(metrics_block_is_shared_with_forked_children) {
  metrics::create(2);
  const auto* m = metrics::shared();
  BOOST_TEST_REQUIRE(m != nullptr);
  for (unsigned slot = 0; slot < 2; ++slot) {
    const pid_t pid = fork();
    if (pid == 0) {
      metrics::become_worker(slot);
      for (int i = 0; i < 1000; ++i) metrics::count_request(3, 200);
      metrics::count_request(3, 418);
      metrics::observe(metrics::Histogram::decode, std::chrono::milliseconds(3));
      metrics::set_db_connected(true);
      _exit(0);
    }
    int status = 0;
    waitpid(pid, &status, 0);
  }
  BOOST_TEST(m->requests[3][metrics::status_slot(200)].load() == 2000u);
  BOOST_TEST(m->requests[3][metrics::kStatusSlots - 1].load() == 2u, "an unlisted status counts as other");
  BOOST_TEST(m->histograms[0].count.load() == 2u);
  BOOST_TEST(m->histograms[0].buckets[3].load() == 2u, "3 ms falls in the 5 ms bucket");
  BOOST_TEST(m->workers[0].requests.load() == 1001u);
  BOOST_TEST(m->workers[1].db_connected.load() == 1);
  metrics::worker_gone(1, true);
  BOOST_TEST(m->worker_restarts.load() == 1u);
  BOOST_TEST(m->workers[1].pid.load() == 0);
}

BOOST_AUTO_TEST_SUITE_END()
