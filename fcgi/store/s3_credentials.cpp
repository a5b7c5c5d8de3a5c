#include "store/s3_credentials.hpp"

#include <fmt/format.h>
#include <sys/stat.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>

#include "base/text.hpp"

extern char** environ;

namespace imghost::store {
namespace {

// A value fit for an HTTP header: printable ASCII without spaces.
bool header_safe(const std::string& v) {
  for (const unsigned char ch : v)
    if (ch <= ' ' || ch >= 0x7f) return false;
  return !v.empty();
}

S3Credentials from_file(const std::filesystem::path& file) {
  struct stat st {};
  if (::stat(file.c_str(), &st) != 0)
    throw std::runtime_error(fmt::format("S3 credentials file {}: {}", file.string(), std::strerror(errno)));
  if (!S_ISREG(st.st_mode))
    throw std::runtime_error(fmt::format("S3 credentials file {}: not a regular file", file.string()));
  // Secrets readable by anyone but their owner are refused, not used.
  if (st.st_mode & 077)
    throw std::runtime_error(
        fmt::format("S3 credentials file {}: group or others may read it (mode {:04o}); chmod 600 it", file.string(),
                    st.st_mode & 07777));
  std::ifstream in(file);
  std::stringstream text;
  if (!(in && text << in.rdbuf()))
    throw std::runtime_error(fmt::format("S3 credentials file {}: cannot be read", file.string()));
  S3Credentials c;
  for (auto& kv : text::key_values(text.str())) {
    if (!kv.value)
      throw std::runtime_error(
          fmt::format("S3 credentials file {}, line {}: expected 'key = value'", file.string(), kv.line));
    if (kv.key == "aws_access_key_id")
      c.access_key_id = std::move(*kv.value);
    else if (kv.key == "aws_secret_access_key")
      c.secret_access_key = std::move(*kv.value);
    else if (kv.key == "aws_session_token")
      c.session_token = std::move(*kv.value);
    else
      throw std::runtime_error(fmt::format("S3 credentials file {}, line {}: unknown key '{}'", file.string(), kv.line,
                                           kv.key.substr(0, 40)));
  }
  if (c.access_key_id.empty() || c.secret_access_key.empty())
    throw std::runtime_error(
        fmt::format("S3 credentials file {}: needs aws_access_key_id and aws_secret_access_key", file.string()));
  if (!header_safe(c.access_key_id) || !header_safe(c.secret_access_key) ||
      (!c.session_token.empty() && !header_safe(c.session_token)))
    throw std::runtime_error(
        fmt::format("S3 credentials file {}: a value holds spaces or control characters", file.string()));
  return c;
}

}  // namespace

S3Credentials load_s3_credentials(const std::filesystem::path& file, const std::map<std::string, std::string>& env) {
  if (!file.empty()) return from_file(file);
  auto get = [&](const char* name) {
    const auto it = env.find(name);
    return it == env.end() ? std::string() : it->second;
  };
  S3Credentials c{get("AWS_ACCESS_KEY_ID"), get("AWS_SECRET_ACCESS_KEY"), get("AWS_SESSION_TOKEN")};
  if (c.access_key_id.empty() || c.secret_access_key.empty())
    throw std::runtime_error(
        "no S3 credentials: set s3_credentials_file, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY in the "
        "environment");
  if (!header_safe(c.access_key_id) || !header_safe(c.secret_access_key) ||
      (!c.session_token.empty() && !header_safe(c.session_token)))
    throw std::runtime_error(
        "AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY or AWS_SESSION_TOKEN holds spaces or control characters");
  return c;
}

S3Credentials load_s3_credentials(const std::filesystem::path& file) {
  std::map<std::string, std::string> env;
  for (char** e = environ; e && *e; ++e) {
    const std::string kv(*e);
    if (kv.rfind("AWS_", 0) != 0) continue;
    const auto eq = kv.find('=');
    if (eq != std::string::npos) env.emplace(kv.substr(0, eq), kv.substr(eq + 1));
  }
  return load_s3_credentials(file, env);
}

}  // namespace imghost::store
