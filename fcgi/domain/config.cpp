#include "domain/config.hpp"

#include <fmt/format.h>

#include <unistd.h>
#include <algorithm>
#include <charconv>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <thread>

#include "base/text.hpp"

extern char** environ;

namespace imghost {
namespace {

// Sizes: a byte count or a binary K/M/G/T suffix (text::parse_size): "5M" is 5 MiB.
std::uint64_t parse_size(const std::string& key, const std::string& v) {
  const auto n = text::parse_size(v);
  if (!n) throw ConfigError(fmt::format("{}: not a size: '{}'", key, v));
  return *n;
}

std::uint64_t parse_uint(const std::string& key, const std::string& v, std::uint64_t min, std::uint64_t max) {
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

// `formats` names image formats, `video_formats` video containers; "" (no video) is
// allowed only for the latter.
std::set<image::Format> parse_formats(const std::string& key, const std::string& v, bool video = false) {
  std::set<image::Format> out;
  std::stringstream ss(v);
  std::string item;
  while (std::getline(ss, item, ',')) {
    item = std::string(text::trim(item));
    if (item.empty()) continue;
    auto f = image::parse_format(item);
    if (!f || image::is_video(*f) != video) throw ConfigError(fmt::format("{}: unknown format '{}'", key, item));
    out.insert(*f);
  }
  if (out.empty() && !video) throw ConfigError(fmt::format("{}: no format accepted", key));
  return out;
}

// A comma-separated list of FFmpeg codec names ("h264,vp9"), each a lowercase word.
std::set<std::string> parse_codecs(const std::string& key, const std::string& v) {
  std::set<std::string> out;
  std::stringstream ss(v);
  std::string item;
  while (std::getline(ss, item, ',')) {
    item = std::string(text::trim(item));
    if (item.empty()) continue;
    if (item.size() > 32 || item.find_first_not_of("abcdefghijklmnopqrstuvwxyz0123456789_") != std::string::npos)
      throw ConfigError(fmt::format("{}: not a codec name: '{}'", key, item));
    out.insert(item);
  }
  return out;
}

std::string print_codecs(const std::set<std::string>& codecs) {
  std::string out;
  for (const auto& c : codecs) out += (out.empty() ? "" : ",") + c;
  return out;
}

// Only the characters a value may hold, so it can go into a URL, an nginx
// configuration and a log line as it is.
std::string checked(const std::string& key, const std::string& v, std::string_view allowed, std::size_t max_len) {
  if (v.size() > max_len || v.find_first_not_of(allowed) != std::string::npos)
    throw ConfigError(fmt::format("{}: '{}' holds a character that is not allowed here", key, v));
  return v;
}
constexpr std::string_view kLowerDigits = "abcdefghijklmnopqrstuvwxyz0123456789";
constexpr std::string_view kUrlChars = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~:/[]@%";

// "http://host[:port]" or "https://...", without a trailing slash; a path is refused
// unless `path_ok` (a CDN's base URL may have one, an S3 endpoint not).
std::string parse_base_url(const std::string& key, std::string v, bool path_ok) {
  while (!v.empty() && v.back() == '/') v.pop_back();
  if (v.empty()) return v;
  checked(key, v, kUrlChars, 400);
  const auto scheme_end = v.find("://");
  const std::string scheme = scheme_end == std::string::npos ? "" : v.substr(0, scheme_end);
  if ((scheme != "http" && scheme != "https") || v.size() == scheme_end + 3)
    throw ConfigError(fmt::format("{}: expected http://host[:port] or https://host[:port], got '{}'", key, v));
  if (!path_ok && v.find('/', scheme_end + 3) != std::string::npos)
    throw ConfigError(fmt::format("{}: no path after the host, got '{}' (the bucket is s3_bucket)", key, v));
  return v;
}

SignupMode parse_signup(const std::string& key, const std::string& v) {
  if (v == "open") return SignupMode::open;
  if (v == "closed") return SignupMode::closed;
  if (v == "invite") return SignupMode::invite;
  throw ConfigError(fmt::format("{}: expected open, closed or invite, got '{}'", key, v));
}

std::string print_signup(SignupMode m) {
  switch (m) {
    case SignupMode::open: return "open";
    case SignupMode::closed: return "closed";
    case SignupMode::invite: return "invite";
  }
  return "closed";
}

// "30/m" (a minute) or "2/s" (a second, kept as 120 a minute); a plain number is a minute's.
unsigned parse_rate(const std::string& key, const std::string& v) {
  const auto slash = v.find('/');
  const auto n = parse_uint(key, v.substr(0, slash), 1, 1000000);
  if (slash == std::string::npos) return static_cast<unsigned>(n);
  const auto unit = v.substr(slash + 1);
  if (unit == "m" || unit == "min") return static_cast<unsigned>(n);
  if (unit == "s") return static_cast<unsigned>(n * 60);
  throw ConfigError(fmt::format("{}: expected N/m or N/s, got '{}'", key, v));
}

// "host:port" with a numeric port: nginx's listen directive, never a public wildcard
// by accident (the metrics are private), so the host must be given.
std::string parse_listen(const std::string& key, const std::string& v) {
  const auto colon = v.rfind(':');
  if (colon == std::string::npos || colon == 0)
    throw ConfigError(fmt::format("{}: expected HOST:PORT, got '{}'", key, v));
  parse_uint(key, v.substr(colon + 1), 1, 65535);
  if (v.find_first_of(" \t;{}") != std::string::npos)
    throw ConfigError(fmt::format("{}: not an address: '{}'", key, v));
  return v;
}

// A language as the catalogs are named: "en", "ru", "pt_BR" (lower-case letters, an
// optional region).
std::string parse_language(const std::string& key, const std::string& v) {
  const bool ok =
      v.size() >= 2 && v.size() <= 6 &&
      std::all_of(v.begin(), v.end(),
                  [](char ch) { return (ch >= 'a' && ch <= 'z') || ch == '_' || (ch >= 'A' && ch <= 'Z'); }) &&
      v[0] != '_';
  if (!ok) throw ConfigError(fmt::format("{}: expected a language such as en or ru, got '{}'", key, v));
  return v;
}

// "en, ru": the languages in the order the switcher lists them.
std::vector<std::string> parse_languages(const std::string& key, const std::string& v) {
  std::vector<std::string> out;
  std::size_t at = 0;
  while (at <= v.size()) {
    const auto comma = std::min(v.find(',', at), v.size());
    auto item = v.substr(at, comma - at);
    while (!item.empty() && item.front() == ' ') item.erase(0, 1);
    while (!item.empty() && item.back() == ' ') item.pop_back();
    if (!item.empty()) {
      auto lang = parse_language(key, item);
      if (std::find(out.begin(), out.end(), lang) == out.end()) out.push_back(std::move(lang));
    }
    at = comma + 1;
  }
  if (out.empty()) throw ConfigError(fmt::format("{}: expected at least one language", key));
  return out;
}

std::string print_size(std::uint64_t n) { return std::to_string(n); }
std::string print_bool(bool b) { return b ? "true" : "false"; }
std::string print_formats(const std::set<image::Format>& f) {
  std::string out;
  for (const auto fmt_ : f) out += (out.empty() ? "" : ",") + std::string(image::name(fmt_));
  return out;
}

// Every setting once: its key, how a value is read into a Config, and how the value in
// force is written back (sizes in bytes, booleans as true/false), for `imghost-admin
// config get` — the one reader of the configuration the scripts use.
struct Setting {
  std::string_view key;
  void (*set)(Config&, const std::string& key, const std::string& value);
  std::string (*get)(const Config&);
};

// The two settings of one of nginx's rate-limit zones: `<zone>_rate` (N/m or N/s) and
// `<zone>_burst`, both kept in the RateLimit member `zone`.
template <RateLimit Config::*zone>
constexpr Setting rate_of(std::string_view key) {
  return {key, [](Config& c, const std::string& k, const std::string& v) { (c.*zone).per_minute = parse_rate(k, v); },
          [](const Config& c) { return std::to_string((c.*zone).per_minute) + "/m"; }};
}
template <RateLimit Config::*zone>
constexpr Setting burst_of(std::string_view key) {
  return {key,
          [](Config& c, const std::string& k, const std::string& v) {
            (c.*zone).burst = static_cast<unsigned>(parse_uint(k, v, 0, 1000000));
          },
          [](const Config& c) { return std::to_string((c.*zone).burst); }};
}

constexpr Setting kSettings[] = {
    {"database", [](Config& c, const std::string&, const std::string& v) { c.database = v; },
     [](const Config& c) { return c.database; }},
    {"store_dir", [](Config& c, const std::string&, const std::string& v) { c.store_dir = v; },
     [](const Config& c) { return c.store_dir.string(); }},
    {"log_file", [](Config& c, const std::string&, const std::string& v) { c.log_file = v; },
     [](const Config& c) { return c.log_file.string(); }},
    {"socket", [](Config& c, const std::string&, const std::string& v) { c.socket = v; },
     [](const Config& c) { return c.socket.string(); }},
    {"static_dir", [](Config& c, const std::string&, const std::string& v) { c.static_dir = v; },
     [](const Config& c) { return c.static_dir.string(); }},
    {"magick_policy_dir", [](Config& c, const std::string&, const std::string& v) { c.magick_policy_dir = v; },
     [](const Config& c) { return c.magick_policy_dir.string(); }},
    {"sql_dir", [](Config& c, const std::string&, const std::string& v) { c.sql_dir = v; },
     [](const Config& c) { return c.sql_dir.string(); }},
    {"workers",
     [](Config& c, const std::string& k, const std::string& v) {
       c.workers = static_cast<unsigned>(parse_uint(k, v, 0, 256));
     },
     [](const Config& c) { return std::to_string(c.workers); }},
    {"max_file_size",
     [](Config& c, const std::string& k, const std::string& v) { c.max_file_bytes = parse_size(k, v); },
     [](const Config& c) { return print_size(c.max_file_bytes); }},
    {"max_request_size",
     [](Config& c, const std::string& k, const std::string& v) { c.max_request_bytes = parse_size(k, v); },
     [](const Config& c) { return print_size(c.max_request_bytes); }},
    {"max_files",
     [](Config& c, const std::string& k, const std::string& v) {
       c.max_files = static_cast<unsigned>(parse_uint(k, v, 1, 1000));
     },
     [](const Config& c) { return std::to_string(c.max_files); }},
    {"default_visibility",
     [](Config& c, const std::string& k, const std::string& v) {
       const auto vis = parse_visibility(v);
       if (!vis) throw ConfigError(fmt::format("{}: expected public or unlisted, got '{}'", k, v));
       c.default_visibility = *vis;
     },
     [](const Config& c) { return std::string(name(c.default_visibility)); }},
    {"public_base_url",
     [](Config& c, const std::string&, const std::string& v) {
       c.public_base_url = v;
       while (!c.public_base_url.empty() && c.public_base_url.back() == '/') c.public_base_url.pop_back();
     },
     [](const Config& c) { return c.public_base_url; }},
    {"strip_metadata",
     [](Config& c, const std::string& k, const std::string& v) { c.strip_metadata = parse_bool(k, v); },
     [](const Config& c) { return print_bool(c.strip_metadata); }},
    {"formats", [](Config& c, const std::string& k, const std::string& v) { c.image.accepted = parse_formats(k, v); },
     [](const Config& c) { return print_formats(c.image.accepted); }},
    {"max_width",
     [](Config& c, const std::string& k, const std::string& v) {
       c.image.max_width = static_cast<std::uint32_t>(parse_uint(k, v, 1, 1u << 20));
     },
     [](const Config& c) { return std::to_string(c.image.max_width); }},
    {"max_height",
     [](Config& c, const std::string& k, const std::string& v) {
       c.image.max_height = static_cast<std::uint32_t>(parse_uint(k, v, 1, 1u << 20));
     },
     [](const Config& c) { return std::to_string(c.image.max_height); }},
    {"max_pixels",
     [](Config& c, const std::string& k, const std::string& v) {
       c.image.max_pixels = parse_uint(k, v, 1, 1ull << 40);
     },
     [](const Config& c) { return std::to_string(c.image.max_pixels); }},
    {"max_frames",
     [](Config& c, const std::string& k, const std::string& v) {
       c.image.max_frames = static_cast<std::uint32_t>(parse_uint(k, v, 1, 100000));
     },
     [](const Config& c) { return std::to_string(c.image.max_frames); }},
    {"magick_memory",
     [](Config& c, const std::string& k, const std::string& v) { c.image.memory_bytes = parse_size(k, v); },
     [](const Config& c) { return print_size(c.image.memory_bytes); }},
    {"decode_timeout_ms",
     [](Config& c, const std::string& k, const std::string& v) {
       c.image.decode_timeout = std::chrono::milliseconds(parse_uint(k, v, 1, 600000));
     },
     [](const Config& c) { return std::to_string(c.image.decode_timeout.count()); }},
    {"thumb_size",
     [](Config& c, const std::string& k, const std::string& v) {
       c.image.thumb_size = static_cast<std::uint32_t>(parse_uint(k, v, 16, 4096));
     },
     [](const Config& c) { return std::to_string(c.image.thumb_size); }},
    {"video_formats",
     [](Config& c, const std::string& k, const std::string& v) { c.video.accepted = parse_formats(k, v, true); },
     [](const Config& c) { return print_formats(c.video.accepted); }},
    {"video_codecs",
     [](Config& c, const std::string& k, const std::string& v) { c.video.video_codecs = parse_codecs(k, v); },
     [](const Config& c) { return print_codecs(c.video.video_codecs); }},
    {"audio_codecs",
     [](Config& c, const std::string& k, const std::string& v) { c.video.audio_codecs = parse_codecs(k, v); },
     [](const Config& c) { return print_codecs(c.video.audio_codecs); }},
    {"max_video_size",
     [](Config& c, const std::string& k, const std::string& v) { c.video.max_bytes = parse_size(k, v); },
     [](const Config& c) { return print_size(c.video.max_bytes); }},
    {"max_video_duration",
     [](Config& c, const std::string& k, const std::string& v) {
       c.video.max_duration_s = static_cast<std::uint32_t>(parse_uint(k, v, 1, 86400));
     },
     [](const Config& c) { return std::to_string(c.video.max_duration_s); }},
    {"max_video_width",
     [](Config& c, const std::string& k, const std::string& v) {
       c.video.max_width = static_cast<std::uint32_t>(parse_uint(k, v, 16, 1u << 16));
     },
     [](const Config& c) { return std::to_string(c.video.max_width); }},
    {"max_video_height",
     [](Config& c, const std::string& k, const std::string& v) {
       c.video.max_height = static_cast<std::uint32_t>(parse_uint(k, v, 16, 1u << 16));
     },
     [](const Config& c) { return std::to_string(c.video.max_height); }},
    {"max_video_fps",
     [](Config& c, const std::string& k, const std::string& v) {
       c.video.max_fps = static_cast<std::uint32_t>(parse_uint(k, v, 1, 1000));
     },
     [](const Config& c) { return std::to_string(c.video.max_fps); }},
    {"max_video_streams",
     [](Config& c, const std::string& k, const std::string& v) {
       c.video.max_streams = static_cast<std::uint32_t>(parse_uint(k, v, 1, 64));
     },
     [](const Config& c) { return std::to_string(c.video.max_streams); }},
    {"video_memory",
     [](Config& c, const std::string& k, const std::string& v) { c.video.memory_bytes = parse_size(k, v); },
     [](const Config& c) { return print_size(c.video.memory_bytes); }},
    {"video_cpu_seconds",
     [](Config& c, const std::string& k, const std::string& v) {
       c.video.cpu_seconds = static_cast<std::uint32_t>(parse_uint(k, v, 1, 3600));
     },
     [](const Config& c) { return std::to_string(c.video.cpu_seconds); }},
    {"video_timeout_ms",
     [](Config& c, const std::string& k, const std::string& v) {
       c.video.timeout = std::chrono::milliseconds(parse_uint(k, v, 100, 3'600'000));
     },
     [](const Config& c) { return std::to_string(c.video.timeout.count()); }},
    {"signup", [](Config& c, const std::string& k, const std::string& v) { c.signup = parse_signup(k, v); },
     [](const Config& c) { return print_signup(c.signup); }},
    {"anonymous_uploads",
     [](Config& c, const std::string& k, const std::string& v) { c.anonymous_uploads = parse_bool(k, v); },
     [](const Config& c) { return print_bool(c.anonymous_uploads); }},
    {"default_quota", [](Config& c, const std::string& k, const std::string& v) { c.default_quota = parse_size(k, v); },
     [](const Config& c) { return print_size(c.default_quota); }},
    {"session_days",
     [](Config& c, const std::string& k, const std::string& v) {
       c.session_days = static_cast<unsigned>(parse_uint(k, v, 1, 3650));
     },
     [](const Config& c) { return std::to_string(c.session_days); }},
    {"max_expires_in",
     [](Config& c, const std::string& k, const std::string& v) {
       c.max_expires_in = static_cast<unsigned>(parse_uint(k, v, kMinExpiresIn, 10ull * 366 * 86400));
     },
     [](const Config& c) { return std::to_string(c.max_expires_in); }},
    {"expire_interval",
     [](Config& c, const std::string& k, const std::string& v) {
       c.expire_interval = static_cast<unsigned>(parse_uint(k, v, 1, 86400));
     },
     [](const Config& c) { return std::to_string(c.expire_interval); }},
    {"empty_album_ttl",
     [](Config& c, const std::string& k, const std::string& v) {
       const auto ttl = parse_uint(k, v, 0, 10ull * 366 * 86400);
       if (ttl != 0 && ttl < kMinExpiresIn)
         throw ConfigError(fmt::format("{}: expected 0 (never) or at least {} seconds, got '{}'", k, kMinExpiresIn, v));
       c.empty_album_ttl = static_cast<unsigned>(ttl);
     },
     [](const Config& c) { return std::to_string(c.empty_album_ttl); }},
    {"resumable_upload_ttl",
     [](Config& c, const std::string& k, const std::string& v) {
       c.resumable_upload_ttl = static_cast<unsigned>(parse_uint(k, v, 1, 30ull * 86400));
     },
     [](const Config& c) { return std::to_string(c.resumable_upload_ttl); }},
    rate_of<&Config::upload_rate>("upload_rate"),
    burst_of<&Config::upload_rate>("upload_burst"),
    rate_of<&Config::login_rate>("login_rate"),
    burst_of<&Config::login_rate>("login_burst"),
    rate_of<&Config::signup_rate>("signup_rate"),
    burst_of<&Config::signup_rate>("signup_burst"),
    rate_of<&Config::album_rate>("album_rate"),
    burst_of<&Config::album_rate>("album_burst"),
    {"metrics_listen",
     [](Config& c, const std::string& k, const std::string& v) { c.metrics_listen = parse_listen(k, v); },
     [](const Config& c) { return c.metrics_listen; }},
    {"languages", [](Config& c, const std::string& k, const std::string& v) { c.languages = parse_languages(k, v); },
     [](const Config& c) {
       std::string out;
       for (const auto& l : c.languages) out += (out.empty() ? "" : ",") + l;
       return out;
     }},
    {"default_language",
     [](Config& c, const std::string& k, const std::string& v) { c.default_language = parse_language(k, v); },
     [](const Config& c) { return c.default_language; }},
    {"log_language",
     [](Config& c, const std::string& k, const std::string& v) { c.log_language = parse_language(k, v); },
     [](const Config& c) { return c.log_language; }},
    {"locale_dir", [](Config& c, const std::string&, const std::string& v) { c.locale_dir = v; },
     [](const Config& c) { return c.locale_dir.string(); }},
    {"variant_presets",
     [](Config& c, const std::string& k, const std::string& v) {
       try {
         c.variant_presets = parse_variant_presets(v);
       } catch (const std::invalid_argument& e) { throw ConfigError(fmt::format("{}: {}", k, e.what())); }
     },
     [](const Config& c) { return print_variant_presets(c.variant_presets); }},
    {"variants_max_bytes",
     [](Config& c, const std::string& k, const std::string& v) { c.variants_max_bytes = parse_size(k, v); },
     [](const Config& c) { return print_size(c.variants_max_bytes); }},
};

constexpr Setting kS3Settings[] = {
    {"store",
     [](Config& c, const std::string& k, const std::string& v) {
       if (v != "local" && v != "s3") throw ConfigError(fmt::format("{}: expected local or s3, got '{}'", k, v));
       c.store = v;
     },
     [](const Config& c) { return c.store; }},
    {"s3_endpoint",
     [](Config& c, const std::string& k, const std::string& v) { c.s3_endpoint = parse_base_url(k, v, false); },
     [](const Config& c) { return c.s3_endpoint; }},
    {"s3_bucket",
     [](Config& c, const std::string& k, const std::string& v) {
       c.s3_bucket = checked(k, v, "abcdefghijklmnopqrstuvwxyz0123456789.-", 63);
       if (!v.empty() && v.size() < 3) throw ConfigError(fmt::format("{}: a bucket name has 3 to 63 characters", k));
     },
     [](const Config& c) { return c.s3_bucket; }},
    {"s3_region",
     [](Config& c, const std::string& k, const std::string& v) {
       c.s3_region = checked(k, v, "abcdefghijklmnopqrstuvwxyz0123456789-", 40);
       if (v.empty()) throw ConfigError(fmt::format("{}: empty", k));
     },
     [](const Config& c) { return c.s3_region; }},
    {"s3_prefix",
     [](Config& c, const std::string& k, const std::string& v) {
       std::string p = checked(k, v, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./", 200);
       while (!p.empty() && p.back() == '/') p.pop_back();
       if (!p.empty() && (p.front() == '/' || p.find("//") != std::string::npos || p == "." ||
                          p.find("./") != std::string::npos || p.find("/.") != std::string::npos))
         throw ConfigError(fmt::format("{}: expected folder names separated by '/', got '{}'", k, v));
       c.s3_prefix = p.empty() ? p : p + "/";
     },
     [](const Config& c) { return c.s3_prefix; }},
    {"s3_credentials_file", [](Config& c, const std::string&, const std::string& v) { c.s3_credentials_file = v; },
     [](const Config& c) { return c.s3_credentials_file.string(); }},
    {"s3_public_url",
     [](Config& c, const std::string& k, const std::string& v) { c.s3_public_url = parse_base_url(k, v, true); },
     [](const Config& c) { return c.s3_public_url; }},
    {"s3_cache_size",
     [](Config& c, const std::string& k, const std::string& v) { c.s3_cache_bytes = parse_size(k, v); },
     [](const Config& c) { return print_size(c.s3_cache_bytes); }},
    {"s3_cache_validity",
     [](Config& c, const std::string& k, const std::string& v) {
       c.s3_cache_validity = static_cast<unsigned>(parse_uint(k, v, 1, 86400));
     },
     [](const Config& c) { return std::to_string(c.s3_cache_validity); }},
    {"s3_cache_dir", [](Config& c, const std::string&, const std::string& v) { c.s3_cache_dir = v; },
     [](const Config& c) { return c.s3_cache_dir.string(); }},
};

const Setting* find_setting(std::string_view key) {
  for (const auto& s : kSettings)
    if (s.key == key) return &s;
  for (const auto& s : kS3Settings)
    if (s.key == key) return &s;
  return nullptr;
}

void apply(Config& c, const std::string& key, const std::string& v) {
  const Setting* s = find_setting(key);
  if (!s) throw ConfigError(fmt::format("unknown setting '{}'", key));
  s->set(c, key, v);
}

// IMGHOST_* variables that belong to the scripts (scripts/stack, backup, rotate-logs),
// not to the worker: they are not settings, and not errors either.
const std::set<std::string> kScriptVariables = {
    "port", "config", "var", "logs", "build", "backup_dir", "backup_keep", "pid_file", "logrotate_state", "s3_port"};

}  // namespace

Config Config::from(const std::string& file_text, const std::map<std::string, std::string>& env) {
  Config c;
  bool request_size_set = false;
  for (const auto& kv : text::key_values(file_text)) {
    if (!kv.value) throw ConfigError(fmt::format("line {}: expected 'key = value'", kv.line));
    request_size_set |= kv.key == "max_request_size";
    apply(c, kv.key, *kv.value);
  }
  // IMGHOST_MAX_FILE_SIZE → max_file_size.  Unknown IMGHOST_* variables are errors too,
  // so a typo does not silently leave a default in force.
  for (const auto& [name, value] : env) {
    if (name.rfind("IMGHOST_", 0) != 0) continue;
    std::string key = name.substr(8);
    std::transform(key.begin(), key.end(), key.begin(), [](unsigned char ch) { return std::tolower(ch); });
    // Variables the scripts use for themselves, not settings of the worker.
    if (kScriptVariables.count(key)) continue;
    request_size_set |= key == "max_request_size";
    apply(c, key, value);
  }
  // The whole body defaults to the most files of the largest size and their multipart
  // framing, or one video of the largest size if that is more; set explicitly it must
  // hold at least one file.
  if (!request_size_set)
    c.max_request_bytes =
        std::max<std::uint64_t>(c.max_files * c.max_file_bytes, c.video.accepted.empty() ? 0 : c.video.max_bytes) +
        kMultipartOverhead;
  if (c.max_request_bytes < c.max_file_bytes) throw ConfigError("max_request_size must be at least max_file_size");
  if (c.store == "s3" && (c.s3_endpoint.empty() || c.s3_bucket.empty()))
    throw ConfigError("store = s3 needs s3_endpoint and s3_bucket");
  if (c.s3_configured() && c.s3_endpoint.empty()) throw ConfigError("s3_bucket is set but s3_endpoint is not");
  if (c.workers == 0) c.workers = std::max(1u, std::thread::hardware_concurrency());
  const auto speaks = [&](const std::string& l) {
    return std::find(c.languages.begin(), c.languages.end(), l) != c.languages.end();
  };
  if (!speaks(c.default_language))
    throw ConfigError(fmt::format("default_language {} is not one of languages", c.default_language));
  if (!speaks(c.log_language))
    throw ConfigError(fmt::format("log_language {} is not one of languages", c.log_language));
  return c;
}

std::optional<std::string> Config::get(std::string_view key) const {
  const Setting* s = find_setting(key);
  if (!s) return std::nullopt;
  return s->get(*this);
}

std::vector<std::string_view> Config::keys() {
  std::vector<std::string_view> out;
  for (const auto& s : kSettings) out.push_back(s.key);
  for (const auto& s : kS3Settings) out.push_back(s.key);
  return out;
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
