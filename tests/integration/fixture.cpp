#include "fixture.hpp"

#include <unistd.h>

#include <boost/test/unit_test.hpp>
#include <cctype>
#include <cstdio>
#include <cstdlib>
#include <stdexcept>

#include "admin/migrate.hpp"
#include "db/pg.hpp"
#include "domain/error.hpp"
#include "image/magick.hpp"
#include "image/magick_setup.hpp"
#include "server/worker.hpp"
#include "store/local_store.hpp"
#include "store/open_store.hpp"

namespace imghost::testing {
namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// The PostgreSQL server of this test run, started on first use when the environment
// names none, stopped when the binary exits.
class Server {
 public:
  static Server& get() {
    static Server s;
    return s;
  }
  const std::string& maintenance_conninfo() const { return conninfo_; }
  std::string conninfo(const std::string& db) const {
    std::string c = conninfo_;
    const auto pos = c.find("dbname=");
    if (pos != std::string::npos) c.erase(pos, c.find(' ', pos) - pos);
    return c + " dbname=" + db;
  }

 private:
  Server() {
    if (const char* given = std::getenv("IMGHOST_TEST_PG")) {
      conninfo_ = given;
      return;
    }
    var_ = std::filesystem::absolute("build/integration-pg");
    const std::string cmd = "IMGHOST_VAR=" + var_.string() + " scripts/stack pg-start";
    FILE* p = ::popen(cmd.c_str(), "r");
    if (!p) throw std::runtime_error("cannot run scripts/stack pg-start");
    char buf[512];
    while (std::fgets(buf, sizeof buf, p)) conninfo_ += buf;
    if (::pclose(p) != 0 || conninfo_.empty())
      throw std::runtime_error("scripts/stack pg-start failed (run the tests from the checkout's root)");
    while (!conninfo_.empty() && (conninfo_.back() == '\n' || conninfo_.back() == ' ')) conninfo_.pop_back();
    started_ = true;
  }
  ~Server() {
    if (started_) std::system(("IMGHOST_VAR=" + var_.string() + " scripts/stack pg-stop").c_str());
  }
  std::string conninfo_;
  std::filesystem::path var_;
  bool started_ = false;
};

}  // namespace

StringRequest::StringRequest(std::string method, std::string path, std::string query,
                             std::map<std::string, std::string> headers, std::string body)
    : method_(std::move(method)), path_(std::move(path)), query_(std::move(query)), body_(std::move(body)) {
  for (auto& [k, v] : headers) headers_[lower(k)] = v;
  headers_["content-length"] = std::to_string(body_.size());
}

std::string_view StringRequest::header(std::string_view name) const {
  const auto it = headers_.find(lower(name));
  return it == headers_.end() ? std::string_view{} : std::string_view(it->second);
}

void StringRequest::read_body_pieces(std::size_t max_bytes, const std::function<void(std::string_view)>& sink) {
  if (body_.size() > max_bytes) throw errors::too_large("the request body is over the limit");
  for (std::size_t at = 0; at < body_.size(); at += piece_) sink(std::string_view(body_).substr(at, piece_));
}

StringRequest upload_request(const std::string& path, const std::vector<FormField>& fields,
                             std::map<std::string, std::string> headers) {
  const std::string boundary = "integration-boundary-7d3f";
  std::string body;
  for (const auto& f : fields) {
    body += "--" + boundary + "\r\nContent-Disposition: form-data; name=\"" + f.name + "\"";
    if (f.filename) body += "; filename=\"" + *f.filename + "\"\r\nContent-Type: application/octet-stream";
    body += "\r\n\r\n" + f.content + "\r\n";
  }
  body += "--" + boundary + "--\r\n";
  headers["Content-Type"] = "multipart/form-data; boundary=" + boundary;
  return StringRequest("POST", path, "", std::move(headers), std::move(body));
}

namespace {

std::string encode(Magick::Image& img, const char* format) {
  img.magick(format);
  Magick::Blob blob;
  img.write(&blob);
  return std::string(static_cast<const char*>(blob.data()), blob.length());
}

// From raw pixels (the workers' policy allows no pseudo-format such as xc:): white,
// with one pixel whose place and colour come from the seed, so seeds differ in bytes.
Magick::Image canvas(int seed, unsigned width, unsigned height) {
  image::detail::ensure_magick_initialized();
  std::vector<unsigned char> rgb(std::size_t{width} * height * 3, 0xFF);
  const auto q = static_cast<unsigned>(seed);
  const std::size_t at = (std::size_t{(q / width) % height} * width + q % width) * 3;
  rgb[at] = static_cast<unsigned char>(q * 37);
  rgb[at + 1] = static_cast<unsigned char>(q * 91);
  rgb[at + 2] = static_cast<unsigned char>(q >> 8);
  return Magick::Image(width, height, "RGB", Magick::CharPixel, rgb.data());
}

}  // namespace

std::string png_bytes(int seed, unsigned width, unsigned height) {
  auto img = canvas(seed, width, height);
  return encode(img, "PNG");
}

std::string jpeg_bytes(int seed, unsigned width, unsigned height) {
  auto img = canvas(seed, width, height);
  img.quality(90);
  return encode(img, "JPEG");
}

Database::Database() {
  static int counter = 0;
  name_ = "imghost_it_" + std::to_string(::getpid()) + "_" + std::to_string(++counter);
  db::Connection admin(Server::get().maintenance_conninfo());
  admin.exec("DROP DATABASE IF EXISTS " + name_);
  admin.exec("CREATE DATABASE " + name_);
  conninfo_ = Server::get().conninfo(name_);
}

Database::~Database() {
  try {
    db::Connection admin(Server::get().maintenance_conninfo());
    admin.exec("DROP DATABASE IF EXISTS " + name_);
  } catch (const std::exception& e) {
    std::fprintf(stderr, "integration: could not drop %s: %s\n", name_.c_str(), e.what());
  }
}

Env::Env() {
  static int counter = 0;
  const std::string tag = std::to_string(::getpid()) + "_" + std::to_string(++counter);
  store_dir_ = std::filesystem::absolute("build/integration-stores") / tag;
  std::filesystem::remove_all(store_dir_);
  std::filesystem::create_directories(store_dir_.parent_path());
  config_ = Config::from("", {});
  config_.database = db_.conninfo();
  config_.store_dir = store_dir_;
  config_.log_file = store_dir_.string() + ".log";
  {
    db::Connection conn(config_.database);
    admin::migrate(conn, "sql");
  }
  static bool magick = false;
  if (!magick) {
    image::configure_magick(config_.image);
    magick = true;
  }
  app_ = std::make_unique<App>(config_, store::open_store(config_));
}

Env::~Env() {
  app_.reset();  // its connection goes before the database does
  std::error_code ec;
  std::filesystem::remove_all(store_dir_, ec);
  std::filesystem::remove(store_dir_.string() + ".log", ec);
}

http::Response Env::run(http::Request& req) {
  auto r = handle(*app_, req);
  app_->run_deferred();
  return r;
}

std::string first_value(db::Connection& conn, const std::string& sql) {
  auto r = conn.exec(sql);
  return r.rows() > 0 && !r.is_null(0, 0) ? std::string(r.get(0, 0)) : std::string();
}

std::string Env::query(const std::string& sql) { return first_value(app_->db(), sql); }

std::optional<std::string> header_of(const http::Response& r, std::string_view name) {
  for (const auto& [k, v] : r.headers)
    if (lower(k) == lower(name)) return v;
  return std::nullopt;
}

StringRequest json_post(const std::string& path, const nlohmann::json& body,
                        std::map<std::string, std::string> headers) {
  headers["Content-Type"] = "application/json";
  return StringRequest("POST", path, "", std::move(headers), body.dump());
}

std::string error_code(const http::Response& r) { return nlohmann::json::parse(r.body)["error"]["code"]; }

std::string signup(Env& env, const std::string& name) {
  auto req = json_post("/api/v1/users", {{"username", name}, {"password", "correct horse"}});
  const auto r = env.run(req);
  BOOST_TEST_REQUIRE(r.status == 201, r.body);
  auto t = json_post("/api/v1/tokens", {{"username", name}, {"password", "correct horse"}});
  const auto rt = env.run(t);
  BOOST_TEST_REQUIRE(rt.status == 201, rt.body);
  return nlohmann::json::parse(rt.body)["token"];
}

std::size_t originals_in_store(const Env& env) {
  std::size_t n = 0;
  store::LocalStore(env.store_dir()).walk([&](const store::Entry& e) {
    if (e.kind == store::Entry::Kind::original) ++n;
  });
  return n;
}

bool original_exists(const Env& env, const std::string& name) {
  return store::LocalStore(env.store_dir()).mtime(store::Object::original, name).has_value();
}

}  // namespace imghost::testing
