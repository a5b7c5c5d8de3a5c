// The key pair that signs requests to an S3 bucket.  Never in the configuration (which
// `imghost-admin config list` prints) nor in the repository: from a file that only its
// owner may read, or from the environment.
#pragma once

#include <filesystem>
#include <map>
#include <string>

namespace imghost::store {

struct S3Credentials {
  std::string access_key_id;
  std::string secret_access_key;
  std::string session_token;  // temporary credentials only; "" otherwise
};

// From `file` when it is not empty, else from AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and
// (optionally) AWS_SESSION_TOKEN in `env`.
//
// The file holds `key = value` lines with the keys aws_access_key_id,
// aws_secret_access_key and optionally aws_session_token ('#' starts a comment).  It is
// refused when its group or others have any permission on it, when it is not a regular
// file, or when a key is missing or unknown.  Throws std::runtime_error with a message
// that names the file or the variables, never a value.
S3Credentials load_s3_credentials(const std::filesystem::path& file, const std::map<std::string, std::string>& env);

// The same, from the process environment.
S3Credentials load_s3_credentials(const std::filesystem::path& file);

}  // namespace imghost::store
