#include "config.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <charconv>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <thread>
#include <unistd.h>

extern char** environ;

namespace imghost {
namespace {

std::string trim(std::string_view s) {
  const auto b = s.find_first_not_of(" \t\r");
  if (b == std::string_view::npos) return {};
  const auto e = s.find_last_not_of(" \t\r");
  return std::string(s.substr(b, e - b + 1));
}

// Sizes accept a plain byte count or a K/M/G suffix (binary): "5M" is 5 MiB.
std::uint64_t parse_size(const std::string& key, const std::string& v) {
  std::uint64_t n = 0;
  const auto* end = v.data() + v.size();
  auto [p, ec] = std::from_chars(v.data(), end, n);
  if (ec != std::errc() || p == v.data()) throw ConfigError(fmt::format("{}: not a size: '{}'", key, v));
  std::uint64_t mult = 1;
  if (p != end) {
    switch (*p) {
      case 'k': case 'K': mult = 1u << 10; break;
      case 'm': case 'M': mult = 1u << 20; break;
      case 'g': case 'G': mult = 1u << 30; break;
      default: throw ConfigError(fmt::format("{}: not a size: '{}'", key, v));
    }
    const std::string_view rest(p + 1, static_cast<std::size_t>(end - p - 1));
    if (!rest.empty() && rest != "B" && rest != "iB")
      throw ConfigError(fmt::format("{}: not a size: '{}'", key, v));
  }
  return n * mult;
}

std::uint64_t parse_uint(const std::string& key, const std::string& v, std::uint64_t min,
                         std::uint64_t max) {
  std::uint64_t n = 0;
  auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), n);
  if (ec != std::errc() || p != v.data() + v.size() || n < min || n > max)
    throw ConfigError(fmt::format("{}: expected a number from {} to {}, got '{}'", key, min, max, v));
  return n;
}

bool parse_bool(const std::string& key, const std::string& v) {
  if (v == "1" || v == "true" || v == "yes" || v == "on") return true;
  if (v == "0" || v == "false" || v == "no" || v == "off") return false;
  throw ConfigError(fmt::format("{}: expected true or false, got '{}'", key, v));
}

std::set<image::Format> parse_formats(const std::string& key, const std::string& v) {
  std::set<image::Format> out;
  std::stringstream ss(v);
  std::string item;
  while (std::getline(ss, item, ',')) {
    item = trim(item);
    if (item.empty()) continue;
    auto f = image::parse_format(item);
    if (!f) throw ConfigError(fmt::format("{}: unknown format '{}'", key, item));
    out.insert(*f);
  }
  if (out.empty()) throw ConfigError(fmt::format("{}: no format accepted", key));
  return out;
}

void apply(Config& c, const std::string& key, const std::string& v) {
  if (key == "database") c.database = v;
  else if (key == "store_dir") c.store_dir = v;
  else if (key == "log_file") c.log_file = v;
  else if (key == "socket") c.socket = v;
  else if (key == "magick_policy_dir") c.magick_policy_dir = v;
  else if (key == "sql_dir") c.sql_dir = v;
  else if (key == "workers") c.workers = static_cast<unsigned>(parse_uint(key, v, 0, 256));
  else if (key == "max_file_size") c.max_file_bytes = parse_size(key, v);
  else if (key == "max_request_size") c.max_request_bytes = parse_size(key, v);
  else if (key == "public_base_url") {
    c.public_base_url = v;
    while (!c.public_base_url.empty() && c.public_base_url.back() == '/') c.public_base_url.pop_back();
  } else if (key == "strip_metadata") c.strip_metadata = parse_bool(key, v);
  else if (key == "formats") c.image.accepted = parse_formats(key, v);
  else if (key == "max_width") c.image.max_width = static_cast<std::uint32_t>(parse_uint(key, v, 1, 1u << 20));
  else if (key == "max_height") c.image.max_height = static_cast<std::uint32_t>(parse_uint(key, v, 1, 1u << 20));
  else if (key == "max_pixels") c.image.max_pixels = parse_uint(key, v, 1, 1ull << 40);
  else if (key == "max_frames") c.image.max_frames = static_cast<std::uint32_t>(parse_uint(key, v, 1, 100000));
  else if (key == "magick_memory") c.image.memory_bytes = parse_size(key, v);
  else if (key == "decode_timeout_ms")
    c.image.decode_timeout = std::chrono::milliseconds(parse_uint(key, v, 1, 600000));
  else if (key == "thumb_size") c.image.thumb_size = static_cast<std::uint32_t>(parse_uint(key, v, 16, 4096));
  else throw ConfigError(fmt::format("unknown setting '{}'", key));
}

// IMGHOST_* variables that belong to the scripts (scripts/stack, backup, rotate-logs),
// not to the worker: they are not settings, and not errors either.
const std::set<std::string> kScriptVariables = {"port", "config", "var", "logs", "build", "backup_dir",
                                                 "backup_keep", "pid_file", "logrotate_state"};

}  // namespace

Config Config::from(const std::string& file_text, const std::map<std::string, std::string>& env) {
  Config c;
  std::stringstream in(file_text);
  std::string line;
  int lineno = 0;
  while (std::getline(in, line)) {
    ++lineno;
    const auto hash = line.find('#');
    if (hash != std::string::npos) line.erase(hash);
    if (trim(line).empty()) continue;
    const auto eq = line.find('=');
    if (eq == std::string::npos)
      throw ConfigError(fmt::format("line {}: expected 'key = value'", lineno));
    apply(c, trim(std::string_view(line).substr(0, eq)), trim(std::string_view(line).substr(eq + 1)));
  }
  // IMGHOST_MAX_FILE_SIZE → max_file_size.  Unknown IMGHOST_* variables are errors too,
  // so a typo does not silently leave a default in force.
  for (const auto& [name, value] : env) {
    if (name.rfind("IMGHOST_", 0) != 0) continue;
    std::string key = name.substr(8);
    std::transform(key.begin(), key.end(), key.begin(), [](unsigned char ch) { return std::tolower(ch); });
    // Variables the scripts use for themselves, not settings of the worker.
    if (kScriptVariables.count(key)) continue;
    apply(c, key, value);
  }
  if (c.max_request_bytes < c.max_file_bytes)
    throw ConfigError("max_request_size must be at least max_file_size");
  if (c.workers == 0) c.workers = std::max(1u, std::thread::hardware_concurrency());
  return c;
}

Config Config::load(const std::optional<std::filesystem::path>& file) {
  std::string text;
  if (file) {
    std::ifstream f(*file);
    if (!f) throw ConfigError(fmt::format("cannot read config file {}", file->string()));
    std::stringstream ss;
    ss << f.rdbuf();
    text = ss.str();
  }
  std::map<std::string, std::string> env;
  for (char** e = environ; e && *e; ++e) {
    std::string_view kv(*e);
    const auto eq = kv.find('=');
    if (eq != std::string_view::npos) env.emplace(kv.substr(0, eq), kv.substr(eq + 1));
  }
  return from(text, env);
}

}  // namespace imghost
