// What tus sends besides the bytes: base64 in Upload-Metadata and Upload-Checksum, and
// the sha1/sha256 digests a piece is checked against.
#include <boost/test/unit_test.hpp>

#include <optional>
#include <string>

#include "base/base64.hpp"
#include "base/digest.hpp"
#include "base/hex.hpp"

namespace base64 = imghost::base64;

BOOST_AUTO_TEST_SUITE(tus_encoding)

BOOST_AUTO_TEST_CASE(base64_round_trips_the_rfc4648_vectors) {
  struct Case {
    const char* plain;
    const char* encoded;
  };
  const Case cases[] = {{"", ""},
                        {"f", "Zg=="},
                        {"fo", "Zm8="},
                        {"foo", "Zm9v"},
                        {"foob", "Zm9vYg=="},
                        {"fooba", "Zm9vYmE="},
                        {"foobar", "Zm9vYmFy"}};
  for (const auto& c : cases) {
    BOOST_TEST(base64::encode(c.plain) == c.encoded);
    BOOST_TEST(base64::decode(c.encoded).value_or("?") == c.plain);
  }
}

BOOST_AUTO_TEST_CASE(base64_refuses_what_is_not_canonical_padded_base64) {
  for (const char* bad : {"Zg", "Zg=", "Z===", "Zm9v!A==", "Zg==Zg==", "Zm=v", "Zm9v\n", " Zm9v"})
    BOOST_TEST(!base64::decode(bad), bad);
}

BOOST_AUTO_TEST_CASE(digests_by_tus_name_match_the_known_values) {
  auto sha1 = imghost::crypto::DigestStream::named("sha1");
  BOOST_REQUIRE(sha1);
  sha1->update("ab");
  sha1->update("c");
  BOOST_TEST(imghost::hex::encode(sha1->finish()) == "a9993e364706816aba3e25717850c26c9cd0d89d");
  auto sha256 = imghost::crypto::DigestStream::named("sha256");
  BOOST_REQUIRE(sha256);
  sha256->update("abc");
  BOOST_TEST(imghost::hex::encode(sha256->finish()) ==
             "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  BOOST_TEST(!imghost::crypto::DigestStream::named("md5"));
  BOOST_TEST(!imghost::crypto::DigestStream::named("SHA1"));
}

BOOST_AUTO_TEST_SUITE_END()
