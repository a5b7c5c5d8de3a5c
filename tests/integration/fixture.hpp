// The integration tier: handle() (the worker's whole request path, without libfcgi)
// driven with string-backed requests against a real PostgreSQL database and a real
// store in a temporary folder.  Between the unit tests (pure functions) and the
// end-to-end tests (nginx, the worker pool, HTTP from Python).
//
// PostgreSQL: $IMGHOST_TEST_PG, a conninfo to a server's maintenance database, or else
// a private server that the test binary starts itself (scripts/stack pg-start under
// build/integration-pg) and stops at the end.  Every Env gets a database of its own,
// migrated with sql/, dropped afterwards.
#pragma once

#include <filesystem>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/app.hpp"
#include "http/request.hpp"
#include "http/response.hpp"

namespace imghost::testing {

// An http::Request over plain strings.  Header names are matched case-insensitively.
class StringRequest final : public http::Request {
 public:
  StringRequest(std::string method, std::string path, std::string query = "",
                std::map<std::string, std::string> headers = {}, std::string body = "");

  std::string_view method() const override { return method_; }
  std::string_view path() const override { return path_; }
  std::string_view query() const override { return query_; }
  std::string_view header(std::string_view name) const override;
  void read_body_pieces(std::size_t max_bytes, const std::function<void(std::string_view)>& sink) override;
  // The size of the pieces read_body_pieces hands on (kBodyPiece unless set): tests cut
  // bodies anywhere with it.
  void set_piece_size(std::size_t n) { piece_ = n; }

 private:
  std::string method_, path_, query_;
  std::map<std::string, std::string> headers_;  // lowercase names
  std::string body_;
  std::size_t piece_ = kBodyPiece;
};

// A multipart/form-data body: (field name, file name or nullopt, content).
struct FormField {
  std::string name;
  std::optional<std::string> filename;
  std::string content;
};
StringRequest upload_request(const std::string& path, const std::vector<FormField>& fields,
                             std::map<std::string, std::string> headers = {});

// Real image bytes, made with ImageMagick: distinct for distinct `seed`.
std::string png_bytes(int seed, unsigned width = 40, unsigned height = 30);
std::string jpeg_bytes(int seed, unsigned width = 64, unsigned height = 48);

// The first column of the first row of `sql` on `conn`, or "" (no row, or NULL).
std::string first_value(db::Connection& conn, const std::string& sql);

// A database of its own on the test server, empty (no schema), dropped when this goes.
class Database {
 public:
  Database();
  ~Database();
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;
  const std::string& conninfo() const { return conninfo_; }

 private:
  std::string name_, conninfo_;
};

// One test's world: a fresh database migrated with sql/, a fresh store folder, an App
// over them.
class Env {
 public:
  Env();
  ~Env();
  Env(const Env&) = delete;
  Env& operator=(const Env&) = delete;

  App& app() { return *app_; }
  const Config& config() const { return config_; }
  const std::filesystem::path& store_dir() const { return store_dir_; }

  // Runs one request through handle() and then the work deferred past the response,
  // as the worker does.
  http::Response run(http::Request& req);
  // A query on the test database; the first column of the first row, or "".
  std::string query(const std::string& sql);
  long long count(const std::string& table) { return std::stoll(query("SELECT count(*) FROM " + table)); }

 private:
  Database db_;  // first: dropped after the App's connection is gone
  std::filesystem::path store_dir_;
  Config config_;
  std::unique_ptr<App> app_;
};

// A POST of a JSON body.
StringRequest json_post(const std::string& path, const nlohmann::json& body,
                        std::map<std::string, std::string> headers = {});
// The error code of an error answer's JSON.
std::string error_code(const http::Response& r);
// Signs `name` up (password "correct horse") and returns a new API token of it.
std::string signup(Env& env, const std::string& name);

// The store's originals: how many, and whether one exists.
std::size_t originals_in_store(const Env& env);
bool original_exists(const Env& env, const std::string& name);

// A response header's value, or nullopt.
std::optional<std::string> header_of(const http::Response& r, std::string_view name);

}  // namespace imghost::testing
