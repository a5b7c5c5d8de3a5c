// Resumable uploads (tus) through the request path: pieces on disk, the offset only
// after them, a body cut short, a killed worker's bytes past the offset, the last byte
// through the upload flow, the cleanup of expired uploads.
#include <filesystem>
#include <fstream>

#include <boost/test/unit_test.hpp>

#include "base/base64.hpp"
#include "base/crypto.hpp"
#include "core/resumable_upload.hpp"
#include "db/pg.hpp"
#include "domain/error.hpp"
#include "fixture.hpp"

using namespace imghost::testing;
namespace crypto = imghost::crypto;
namespace fs = std::filesystem;

namespace {

const std::map<std::string, std::string> kTus = {{"Tus-Resumable", "1.0.0"}};

// Creates an upload of `length` bytes; returns its path.
std::string create(Env& env, std::size_t length) {
  auto h = kTus;
  h["Upload-Length"] = std::to_string(length);
  h["Upload-Metadata"] = "filename " + imghost::base64::encode("pieces.png");
  StringRequest req("POST", "/api/v1/uploads", "", h);
  const auto r = env.run(req);
  BOOST_TEST_REQUIRE(r.status == 201, r.body);
  const auto loc = header_of(r, "Location").value_or("");
  BOOST_TEST_REQUIRE(loc.starts_with("/api/v1/uploads/"));
  return loc;
}

std::map<std::string, std::string> patch_headers(std::size_t offset) {
  auto h = kTus;
  h["Upload-Offset"] = std::to_string(offset);
  h["Content-Type"] = "application/offset+octet-stream";
  return h;
}

imghost::http::Response patch(Env& env, const std::string& path, std::size_t offset, const std::string& body,
                              std::map<std::string, std::string> extra = {}) {
  auto h = patch_headers(offset);
  for (auto& [k, v] : extra) h[k] = v;
  StringRequest req("PATCH", path, "", h, body);
  return env.run(req);
}

long long offset_of(Env& env, const std::string& path) {
  StringRequest req("HEAD", path, "", kTus);
  const auto r = env.run(req);
  BOOST_TEST_REQUIRE(r.status == 200, r.body);
  return std::stoll(header_of(r, "Upload-Offset").value_or("-1"));
}

fs::path data_file(const Env& env, const std::string& path) {
  return env.store_dir() / ".tus" / crypto::to_hex(crypto::sha256(path.substr(path.rfind('/') + 1)));
}

// A PATCH whose client goes away after `sent` bytes of the body it announced.
class CutRequest final : public imghost::http::Request {
 public:
  CutRequest(std::string path, std::map<std::string, std::string> headers, std::string body, std::size_t sent)
      : path_(std::move(path)), headers_(std::move(headers)), body_(std::move(body)), sent_(sent) {
    headers_["Content-Length"] = std::to_string(body_.size());
  }
  std::string_view method() const override { return "PATCH"; }
  std::string_view path() const override { return path_; }
  std::string_view query() const override { return {}; }
  std::string_view header(std::string_view name) const override {
    for (const auto& [k, v] : headers_)
      if (k.size() == name.size() && std::equal(k.begin(), k.end(), name.begin(), [](char a, char b) {
            return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b));
          }))
        return v;
    return {};
  }
  void read_body_pieces(std::size_t max_bytes, const std::function<void(std::string_view)>& sink) override {
    if (body_.size() > max_bytes) throw imghost::errors::too_large("over");
    sink(std::string_view(body_).substr(0, sent_));
    throw imghost::errors::bad_request("the request body is shorter than its Content-Length");
  }

 private:
  std::string path_;
  std::map<std::string, std::string> headers_;
  std::string body_;
  std::size_t sent_;
};

}  // namespace

BOOST_AUTO_TEST_SUITE(resumable)

BOOST_AUTO_TEST_CASE(pieces_become_one_image_with_the_bytes_sent_and_the_data_file_goes) {
  Env env;
  const auto png = png_bytes(71, 200, 150);
  const auto path = create(env, png.size());
  const auto cut = png.size() / 2;
  auto r = patch(env, path, 0, png.substr(0, cut),
                 {{"Upload-Checksum",
                   "sha256 " + imghost::base64::encode(std::string(
                                   reinterpret_cast<const char*>(crypto::sha256(png.substr(0, cut)).data()), 32))}});
  BOOST_TEST_REQUIRE(r.status == 204, r.body);
  BOOST_TEST(offset_of(env, path) == static_cast<long long>(cut));
  BOOST_TEST(fs::file_size(data_file(env, path)) == cut, "the acknowledged bytes are on disk");
  BOOST_TEST(env.count("images") == 0);
  r = patch(env, path, cut, png.substr(cut));
  BOOST_TEST_REQUIRE(r.status == 204, r.body);
  const auto id = header_of(r, "Imghost-Image-Id");
  BOOST_TEST_REQUIRE(id.has_value());
  BOOST_TEST(env.query("SELECT encode(sha256, 'hex') FROM images WHERE id = '" + *id + "'") ==
             crypto::to_hex(crypto::sha256(png)));
  BOOST_TEST(env.query("SELECT original_filename FROM images WHERE id = '" + *id + "'") == "pieces.png");
  BOOST_TEST(!fs::exists(data_file(env, path)));
  StringRequest get("GET", path);
  BOOST_TEST(env.run(get).status == 200);
}

BOOST_AUTO_TEST_CASE(a_body_cut_short_keeps_what_arrived_unless_a_checksum_vouched_for_all_of_it) {
  Env env;
  const auto png = png_bytes(72, 200, 150);
  const auto path = create(env, png.size());
  {
    CutRequest req(path, patch_headers(0), png, 60);
    env.run(req);
  }
  BOOST_TEST(offset_of(env, path) == 60, "the 60 bytes that arrived are kept");
  {
    auto h = patch_headers(60);
    h["Upload-Checksum"] = "sha1 " + imghost::base64::encode(std::string(20, 'x'));
    CutRequest req(path, h, png.substr(60), 30);
    env.run(req);
  }
  BOOST_TEST(offset_of(env, path) == 60, "a piece with a checksum is all or nothing");
  const auto r = patch(env, path, 60, png.substr(60));
  BOOST_TEST_REQUIRE(r.status == 204, r.body);
  BOOST_TEST(env.count("images") == 1);
}

BOOST_AUTO_TEST_CASE(bytes_past_the_acknowledged_offset_are_cut_off_by_the_next_piece) {
  Env env;
  const auto png = png_bytes(73, 200, 150);
  const auto path = create(env, png.size());
  const std::size_t third = png.size() / 3;
  BOOST_TEST_REQUIRE(patch(env, path, 0, png.substr(0, third)).status == 204);
  {
    // A worker killed mid-piece: bytes written, never acknowledged.
    std::ofstream out(data_file(env, path), std::ios::binary | std::ios::app);
    out << std::string(5000, '\xff');
  }
  BOOST_TEST(offset_of(env, path) == static_cast<long long>(third));
  const auto r = patch(env, path, third, png.substr(third));
  BOOST_TEST_REQUIRE(r.status == 204, r.body);
  const auto id = header_of(r, "Imghost-Image-Id").value_or("");
  BOOST_TEST(env.query("SELECT encode(sha256, 'hex') FROM images WHERE id = '" + id + "'") ==
             crypto::to_hex(crypto::sha256(png)));
}

BOOST_AUTO_TEST_CASE(the_cleanup_removes_expired_uploads_row_and_file_and_files_without_a_row) {
  Env env;
  const auto path = create(env, 1000);
  BOOST_TEST_REQUIRE(patch(env, path, 0, std::string(10, 'a')).status == 204);
  const auto orphan = env.store_dir() / ".tus" / crypto::to_hex(crypto::sha256("no such upload"));
  { std::ofstream(orphan) << "left by a crash"; }
  fs::last_write_time(orphan, fs::file_time_type::clock::now() - std::chrono::hours(2));
  env.query("UPDATE resumable_uploads SET expires_at = now() - interval '1 second'");
  StringRequest head("HEAD", path, "", kTus);
  BOOST_TEST(env.run(head).status == 410);
  const auto n = imghost::resumable::remove_expired(env.app().db(), env.store_dir(), env.app().log());
  BOOST_TEST(n == 1u);
  BOOST_TEST(env.count("resumable_uploads") == 0);
  BOOST_TEST(!fs::exists(data_file(env, path)));
  BOOST_TEST(!fs::exists(orphan), "a file no row names, older than an hour");
  BOOST_TEST(env.run(head).status == 404);
}

BOOST_AUTO_TEST_SUITE_END()
