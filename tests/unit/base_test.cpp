#include <boost/test/unit_test.hpp>

#include <fcntl.h>
#include <unistd.h>

#include <cctype>
#include <cstdio>
#include <string>

#include "base/binary.hpp"
#include "base/crypto.hpp"
#include "base/hex.hpp"
#include "base/page_cursor.hpp"

namespace hex = imghost::hex;
namespace page_cursor = imghost::page_cursor;

BOOST_AUTO_TEST_SUITE(base)

BOOST_AUTO_TEST_CASE(sha256_hex_round_trips_and_rejects_junk) {
  const auto d = imghost::crypto::sha256("imghost");
  const auto hex = imghost::crypto::to_hex(d);
  BOOST_TEST((imghost::crypto::sha256_from_hex(hex) == d));
  std::string upper = hex;
  for (auto& ch : upper) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
  BOOST_TEST((imghost::crypto::sha256_from_hex(upper) == d));
  BOOST_TEST(!imghost::crypto::sha256_from_hex(hex.substr(1)));
  BOOST_TEST(!imghost::crypto::sha256_from_hex(hex + "0"));
  BOOST_TEST(!imghost::crypto::sha256_from_hex(std::string(64, 'g')));
  BOOST_TEST(!imghost::crypto::sha256_from_hex(""));
}

BOOST_AUTO_TEST_CASE(a_file_hashes_as_its_bytes_in_pieces_and_keeps_its_offset) {
  // More than one 1 MiB piece, and not a multiple of it.
  std::string bytes((3u << 20) + 12345, '\0');
  for (std::size_t i = 0; i < bytes.size(); ++i) bytes[i] = static_cast<char>(i * 7 + i / 4096);
  std::FILE* f = std::tmpfile();
  BOOST_REQUIRE(f);
  BOOST_REQUIRE(std::fwrite(bytes.data(), 1, bytes.size(), f) == bytes.size());
  std::fflush(f);
  const int fd = ::fileno(f);
  ::lseek(fd, 100, SEEK_SET);
  const auto d = imghost::crypto::sha256_of_file(fd);
  BOOST_TEST((d.sha256 == imghost::crypto::sha256(bytes)));
  BOOST_TEST(d.size == bytes.size());
  BOOST_TEST(::lseek(fd, 0, SEEK_CUR) == 100);
  std::fclose(f);
}

BOOST_AUTO_TEST_CASE(hex_encodes_and_decodes) {
  struct Case {
    std::string bytes, text;
  };
  const Case cases[] = {{"", ""}, {std::string("\x00\xff", 2), "00ff"}, {"imghost", "696d67686f7374"}};
  for (const auto& c : cases) {
    BOOST_TEST(hex::encode(c.bytes) == c.text);
    BOOST_TEST(*hex::decode(c.text) == c.bytes);
  }
  BOOST_TEST(*hex::decode("00FF") == std::string("\x00\xff", 2));
  BOOST_TEST(!hex::decode("abc"));
  BOOST_TEST(!hex::decode("zz"));
}

BOOST_AUTO_TEST_CASE(integers_read_and_write_in_both_byte_orders) {
  const std::string s("\x12\x34\x56\x78", 4);
  BOOST_TEST(imghost::binary::be16(s, 0) == 0x1234u);
  BOOST_TEST(imghost::binary::be32(s, 0) == 0x12345678u);
  BOOST_TEST(imghost::binary::le16(s, 0) == 0x3412u);
  BOOST_TEST(imghost::binary::le24(s, 1) == 0x785634u);
  BOOST_TEST(imghost::binary::le32(s, 0) == 0x78563412u);
  std::string out;
  imghost::binary::put_be32(out, 0x12345678u);
  imghost::binary::put_le32(out, 0x12345678u);
  BOOST_TEST(out == s + "\x78\x56\x34\x12");
}

// A cursor hands a keyset position to the client and back: it opens to that position in
// its own list with its own key, and in no other case.
BOOST_AUTO_TEST_CASE(page_cursors_open_only_as_sealed) {
  const std::string key(page_cursor::kKeyBytes, 'k');
  const std::string other_key(page_cursor::kKeyBytes, 'o');
  for (const long long position : {1LL, 10LL, 1LL << 40, 9'223'372'036'854'775'807LL}) {
    BOOST_TEST_CONTEXT(position) {
      const auto cursor = page_cursor::seal(key, "images", position);
      BOOST_TEST(cursor.size() == 64u);
      BOOST_TEST(cursor.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_") ==
                 std::string::npos);
      BOOST_TEST(page_cursor::seal(key, "images", position) != cursor);  // a fresh nonce each time
      BOOST_TEST(page_cursor::open(key, "images", cursor).value_or(0) == position);
      BOOST_TEST(!page_cursor::open(key, "albums", cursor));
      BOOST_TEST(!page_cursor::open(other_key, "images", cursor));
      for (std::size_t i = 0; i < cursor.size(); ++i) {
        std::string altered = cursor;
        altered[i] = altered[i] == 'A' ? 'B' : 'A';
        BOOST_TEST(!page_cursor::open(key, "images", altered), "changed at " << i);
      }
    }
  }
  const auto good = page_cursor::seal(key, "images", 5);
  for (const std::string& bad : {std::string(), std::string("10"), std::string("abc"), good.substr(1), good + "A",
                                 good + "=", good.substr(0, 63) + "+", std::string(64, '='), std::string(good) + '\0'})
    BOOST_TEST(!page_cursor::open(key, "images", bad), bad);
}

BOOST_AUTO_TEST_SUITE_END()
