// The pure parts of the S3 store: key layout, encoding, the listing and error parsers,
// the credentials file's rules, the S3 settings, the circuit breaker's rules and where
// nginx's cache keeps an object.
#include <sys/stat.h>
#include <unistd.h>

#include <boost/test/unit_test.hpp>
#include <filesystem>
#include <fstream>

#include "base/crypto.hpp"
#include "domain/config.hpp"
#include "store/circuit_breaker.hpp"
#include "store/nginx_cache.hpp"
#include "store/s3_client.hpp"
#include "store/s3_credentials.hpp"
#include "store/s3_store.hpp"

namespace fs = std::filesystem;
using namespace imghost::store;

BOOST_AUTO_TEST_SUITE(s3)

BOOST_AUTO_TEST_CASE(uri_encoding_is_rfc3986) {
  struct Case {
    const char* in;
    bool keep_slash;
    const char* out;
  };
  const Case cases[] = {
      {"abc-_.~XYZ09", false, "abc-_.~XYZ09"}, {"a/b", false, "a%2Fb"},       {"a/b", true, "a/b"},
      {"a b+c=d", false, "a%20b%2Bc%3Dd"},     {"\xc3\xa9", false, "%C3%A9"}, {"", false, ""},
  };
  for (const auto& c : cases) BOOST_TEST(uri_encode(c.in, c.keep_slash) == c.out, c.in);
}

BOOST_AUTO_TEST_CASE(iso8601_times) {
  BOOST_TEST(parse_iso8601("1970-01-01T00:00:00.000Z").value() == 0);
  BOOST_TEST(parse_iso8601("2026-11-29T15:47:35Z").value() == 1795967255);
  for (const char* bad : {"", "2026-11-29", "2026-11-29T15:47:35", "2026-13-29T15:47:35Z", "2026-11-29T15:47:35.x1Z"})
    BOOST_TEST(!parse_iso8601(bad).has_value(), bad);
}

BOOST_AUTO_TEST_CASE(a_listing_page_with_entities_and_a_continuation) {
  const auto page = parse_list_page(
      "<?xml version=\"1.0\"?><ListBucketResult><IsTruncated>true</IsTruncated>"
      "<Contents><Key>p/originals/a&amp;b.png</Key><LastModified>1970-01-01T00:00:10.000Z</LastModified></Contents>"
      "<Contents><Key>p/thumbs/x</Key></Contents>"
      "<NextContinuationToken>1/a+b=</NextContinuationToken></ListBucketResult>");
  BOOST_TEST(page.objects.size() == 2u);
  BOOST_TEST(page.objects[0].key == "p/originals/a&b.png");
  BOOST_TEST(page.objects[0].last_modified == 10);
  BOOST_TEST(page.objects[1].key == "p/thumbs/x");
  BOOST_TEST(page.truncated);
  BOOST_TEST(page.next_token == "1/a+b=");
  const auto last = parse_list_page("<ListBucketResult><IsTruncated>false</IsTruncated></ListBucketResult>");
  BOOST_TEST(last.objects.empty());
  BOOST_TEST(!last.truncated);
  BOOST_CHECK_THROW(parse_list_page("<Error><Code>AccessDenied</Code></Error>"), std::runtime_error);
  BOOST_CHECK_THROW(parse_list_page("<ListBucketResult><IsTruncated>true</IsTruncated></ListBucketResult>"),
                    std::runtime_error);
}

BOOST_AUTO_TEST_CASE(errors_name_the_code_and_message_only) {
  BOOST_TEST(describe_s3_error(403,
                               "<Error><Code>SignatureDoesNotMatch</Code><Message>bad\nsig</Message>"
                               "<StringToSign>AWS4-HMAC-SHA256 ...</StringToSign></Error>") ==
             "HTTP 403 SignatureDoesNotMatch: badsig");
  BOOST_TEST(describe_s3_error(502, "<html>gateway</html>") == "HTTP 502");
}

BOOST_AUTO_TEST_CASE(keys_below_the_prefix) {
  BOOST_TEST((classify_s3_key("originals/abcdefghijklmnopqrst.png").kind == Entry::Kind::original));
  BOOST_TEST(classify_s3_key("originals/abcdefghijklmnopqrst.png").name == "abcdefghijklmnopqrst.png");
  BOOST_TEST((classify_s3_key("thumbs/abcdefghijklmnopqrst.webp").kind == Entry::Kind::thumbnail));
  for (const char* foreign : {"originals/", "originals/x.png", "originals/abcdefghijklmnopqrst.png/x",
                              "thumbs/ABCDEFGHIJKLMNOPQRST.png", "other/abcdefghijklmnopqrst.png", "readme"})
    BOOST_TEST((classify_s3_key(foreign).kind == Entry::Kind::foreign), foreign);
  BOOST_TEST(content_type_of("abcdefghijklmnopqrst.jpg") == "image/jpeg");
  BOOST_TEST(content_type_of("x") == "application/octet-stream");
}

BOOST_AUTO_TEST_CASE(credentials_from_a_private_file_or_the_environment) {
  const fs::path dir = fs::temp_directory_path() / ("imghost-s3-test-" + std::to_string(::getpid()));
  fs::create_directories(dir);
  const fs::path file = dir / "credentials";
  auto write = [&](const std::string& text, fs::perms mode) {
    std::ofstream(file) << text;
    fs::permissions(file, mode);
  };
  write("# key pair\naws_access_key_id = AK\naws_secret_access_key = s3cr3t\n", fs::perms::owner_read);
  const auto c = load_s3_credentials(file, {});
  BOOST_TEST(c.access_key_id == "AK");
  BOOST_TEST(c.secret_access_key == "s3cr3t");

  write("aws_access_key_id = AK\naws_secret_access_key = s3cr3t\n", fs::perms::owner_read | fs::perms::group_read);
  try {
    load_s3_credentials(file, {});
    BOOST_FAIL("a file the group may read was accepted");
  } catch (const std::runtime_error& e) {
    BOOST_TEST(std::string(e.what()).find("group or others") != std::string::npos);
    BOOST_TEST(std::string(e.what()).find("s3cr3t") == std::string::npos);
  }
  for (const char* bad :
       {"aws_access_key_id = AK\n", "aws_access_key_id = AK\naws_secret_access_key = s3cr3t\nregion = x\n",
        "aws_access_key_id AK\n"}) {
    write(bad, fs::perms::owner_read | fs::perms::owner_write);
    try {
      load_s3_credentials(file, {});
      BOOST_FAIL("accepted: " << bad);
    } catch (const std::runtime_error& e) { BOOST_TEST(std::string(e.what()).find("s3cr3t") == std::string::npos); }
  }
  const auto env = load_s3_credentials("", {{"AWS_ACCESS_KEY_ID", "E"}, {"AWS_SECRET_ACCESS_KEY", "F"}});
  BOOST_TEST(env.access_key_id == "E");
  BOOST_CHECK_THROW(load_s3_credentials("", {{"AWS_ACCESS_KEY_ID", "E"}}), std::runtime_error);
  fs::remove_all(dir);
}

BOOST_AUTO_TEST_CASE(s3_settings) {
  using imghost::Config;
  using imghost::ConfigError;
  const auto c = Config::from(
      "store = s3\ns3_endpoint = http://127.0.0.1:9000/\ns3_bucket = img-1\ns3_prefix = site/a/\n"
      "s3_cache_size = 2G\ns3_cache_dir = /var/cache/nginx/imghost-s3\n",
      {{"IMGHOST_S3_CACHE_VALIDITY", "5"}});
  BOOST_TEST(c.store == "s3");
  BOOST_TEST(c.s3_endpoint == "http://127.0.0.1:9000");
  BOOST_TEST(c.s3_prefix == "site/a/");
  BOOST_TEST(c.s3_region == "us-east-1");
  BOOST_TEST(c.s3_cache_bytes == 2ull << 30);
  BOOST_TEST(c.s3_cache_validity == 5u);
  BOOST_TEST(c.s3_cache_dir == "/var/cache/nginx/imghost-s3");
  BOOST_TEST(Config::from("", {}).s3_cache_dir.empty());
  BOOST_TEST(c.get("s3_prefix").value() == "site/a/");
  for (const char* bad : {"store = s4", "store = s3", "store = s3\ns3_bucket = b12", "s3_endpoint = ftp://x",
                          "s3_endpoint = http://x/bucket", "s3_bucket = Has_Upper", "s3_prefix = /abs",
                          "s3_prefix = a/../b", "s3_prefix = a b", "s3_bucket = abc", "s3_cache_validity = 0"})
    BOOST_CHECK_THROW(Config::from(bad, {}), ConfigError);
}

BOOST_AUTO_TEST_CASE(the_breaker_refuses_during_its_cool_down_then_lets_one_probe_through) {
  using std::chrono::seconds;
  enum class Event { ask, fail, answer };
  struct Step {
    int at;  // seconds
    Event event;
    bool allowed;  // for ask: what allows() says
  };
  const Step steps[] = {
      {0, Event::ask, true},                                                   // closed
      {1, Event::fail, false},                                                 // unreachable at 1: open until 6
      {1, Event::ask, false},  {5, Event::ask, false}, {6, Event::ask, true},  // the probe
      {7, Event::fail, false},                                                 // the probe failed too: open until 12
      {8, Event::ask, false},  {12, Event::ask, true}, {13, Event::answer, false},  // the server answered: closed
      {13, Event::ask, true},  {14, Event::ask, true},
  };
  CircuitBreaker breaker(seconds(5));
  const CircuitBreaker::Clock::time_point t0{};
  for (const auto& s : steps) {
    const auto now = t0 + seconds(s.at);
    switch (s.event) {
      case Event::ask: BOOST_TEST(breaker.allows(now) == s.allowed, "at " << s.at << " s"); break;
      case Event::fail: breaker.failed(now); break;
      case Event::answer: breaker.succeeded(); break;
    }
  }
  BOOST_TEST(!breaker.open_until().has_value());
}

BOOST_AUTO_TEST_CASE(an_entry_of_nginx_cache_is_where_nginx_put_it) {
  // Paths nginx 1.22 wrote for these keys (levels=1:2: the MD5's last digit, then the
  // two before it).
  const NginxCache cache("/c");
  BOOST_TEST(cache.entry(Object::original, "kqwbqy2ns3xeyl5ezers.png").string() ==
             "/c/c/6c/9af2d3e14095586f3e43ee0568f246cc");
  BOOST_TEST(cache.entry(Object::thumbnail, "jp57hnexevamn5dh553t.png").string() ==
             "/c/6/e1/2295afd4ed23218742867b8a22f45e16");
  BOOST_TEST(imghost::crypto::md5_hex("abc") == "900150983cd24fb0d6963f7d28e17f72");  // RFC 1321
}

BOOST_AUTO_TEST_CASE(forgetting_removes_the_entry_and_a_missing_one_is_no_error) {
  const fs::path dir = fs::temp_directory_path() / ("imghost-nginx-cache-" + std::to_string(::getpid()));
  fs::remove_all(dir);
  const NginxCache cache(dir);
  const auto entry = cache.entry(Object::original, "kqwbqy2ns3xeyl5ezers.png");
  BOOST_CHECK_NO_THROW(cache.forget(Object::original, "kqwbqy2ns3xeyl5ezers.png"));  // no folder at all
  fs::create_directories(entry.parent_path());
  std::ofstream(entry) << "KEY: originals/kqwbqy2ns3xeyl5ezers.png";
  cache.forget(Object::original, "kqwbqy2ns3xeyl5ezers.png");
  BOOST_TEST(!fs::exists(entry));
  BOOST_CHECK_NO_THROW(cache.forget(Object::original, "kqwbqy2ns3xeyl5ezers.png"));
  fs::remove_all(dir);
}

BOOST_AUTO_TEST_SUITE_END()
