// Configuration: built-in defaults, then a `key = value` file, then IMGHOST_* environment
// variables (IMGHOST_STORE_DIR overrides store_dir, ...).  Secrets (the database
// password) belong in the environment or in a file outside the repository: the
// `database` value is a libpq conninfo, and libpq itself reads PGPASSWORD/PGPASSFILE.
#pragma once

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "domain/image_limits.hpp"
#include "domain/variant_presets.hpp"
#include "domain/video_limits.hpp"
#include "domain/visibility.hpp"

namespace imghost {

class ConfigError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Room for the multipart framing around the files of one request: boundaries, part
// headers, the description field.
inline constexpr std::uint64_t kMultipartOverhead = 64u << 10;

// The shortest expires_in of an upload or an album, in seconds.
inline constexpr unsigned kMinExpiresIn = 60;

// Who may create an account: anyone, nobody (accounts come from `imghost-admin user
// add`), or whoever holds an invite code (`imghost-admin invite create`).
enum class SignupMode { open, closed, invite };

// A limit_req rate and burst of nginx, per client address: `rate` requests a minute,
// `burst` more at once before refusing with 429.
struct RateLimit {
  unsigned per_minute;
  unsigned burst;
};

struct Config {
  std::string database = "dbname=imghost";        // libpq conninfo
  std::filesystem::path store_dir = "var/store";  // images, thumbs/, .tmp/
  std::filesystem::path log_file = "logs/app.log";
  std::filesystem::path socket = "var/run/imghost.sock";  // FastCGI listen socket
  unsigned workers = 0;                                   // 0: one per core
  std::uint64_t max_file_bytes = 5u << 20;                // per image file (a video: video.max_bytes)
  unsigned max_files = 20;                                // files in one upload request
  // The whole body, also nginx's client_max_body_size on the upload routes.  Unless
  // set, max_files files of max_file_bytes plus kMultipartOverhead, or one video of
  // video.max_bytes plus kMultipartOverhead if that is more: a request of as many files
  // as allowed, each as big as allowed, always fits, and so does one video.
  std::uint64_t max_request_bytes = (200ull << 20) + kMultipartOverhead;
  // Whether an upload that does not say is listed in the public catalog.
  Visibility default_visibility = Visibility::unlisted;
  std::string public_base_url;                                    // "" → relative URLs; else "https://img.example"
  bool strip_metadata = true;                                     // GPS/camera metadata of originals
  image::Limits image;                                            // formats, pixel limits, thumb size
  image::VideoLimits video;                                       // containers, codecs, limits, the child's
  std::filesystem::path magick_policy_dir = "fcgi/image/policy";  // MAGICK_CONFIGURE_PATH
  std::filesystem::path sql_dir = "sql";                          // migrations, for imghost-admin
  std::filesystem::path static_dir = "static";                    // CSS, JS, icons nginx serves

  // Where originals and thumbnails live: "local" (store_dir) or "s3" (a bucket; staged
  // uploads still go to store_dir/.tmp).  With a bucket configured, the other store is
  // read and deleted from too, so files can move between them while the site runs
  // (store/open_store.hpp).
  std::string store = "local";
  std::string s3_endpoint;                    // "http://127.0.0.1:9000", "https://s3.eu-west-1.amazonaws.com"
  std::string s3_bucket;                      // path-style: <endpoint>/<bucket>/<key>
  std::string s3_region = "us-east-1";        // for the SigV4 signature
  std::string s3_prefix;                      // "" or "site/": keys are <prefix>originals/<name>, <prefix>thumbs/<name>
  std::filesystem::path s3_credentials_file;  // else AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY
  std::string s3_public_url;                  // a CDN in front of the bucket: nginx redirects originals there
  std::uint64_t s3_cache_bytes = 1ull << 30;  // nginx's disk cache of bucket objects
  unsigned s3_cache_validity = 60;            // seconds nginx serves a cached object before asking the bucket
  // nginx's cache folder on this machine (proxy_cache_path): a delete or an expiry run
  // here removes the image's entries from it (store/nginx_cache.hpp).  Empty: they are
  // served until s3_cache_validity has passed, as on the other machines.
  std::filesystem::path s3_cache_dir;
  bool s3_configured() const { return !s3_bucket.empty(); }

  // Accounts (README, "Accounts").
  SignupMode signup = SignupMode::open;
  bool anonymous_uploads = true;             // uploads without a session or token
  std::uint64_t default_quota = 1ull << 30;  // bytes an account may store unless set per account
  unsigned session_days = 30;                // a login lasts this long

  // Expiry (docs/albums-expiry-design.md): the longest expires_in accepted, in seconds
  // (at least kMinExpiresIn), and the seconds between two runs of the cleanup.
  unsigned max_expires_in = 30 * 86400;
  unsigned expire_interval = 60;
  // The cleanup removes an album that holds no image and was created more than this
  // many seconds ago (0: never; else at least kMinExpiresIn): one anonymous client
  // creating albums it never fills does not grow the database for good.
  unsigned empty_album_ttl = 86400;
  // A resumable (tus) upload not finished this many seconds after its creation expires
  // (Upload-Expires) and the cleanup removes it (core/resumable_upload.hpp).
  unsigned resumable_upload_ttl = 86400;
  // nginx's limit_req per client address (scripts/stack and make install fill them in).
  RateLimit upload_rate{60, 30};
  RateLimit login_rate{10, 5};
  RateLimit signup_rate{5, 3};
  RateLimit album_rate{10, 5};                    // creating albums (one row each, anonymous ones too)
  std::string metrics_listen = "127.0.0.1:9464";  // nginx's private listener for GET /metrics

  // Languages (domain/translate.hpp): the ones the site speaks (each but English needs
  // its catalog in locale_dir), the one for a request that asks for none of them, and
  // the one of logs/app.log's lines.
  std::vector<std::string> languages{"en", "ru"};
  std::string default_language = "en";
  std::string log_language = "en";
  std::filesystem::path locale_dir = "build/locale";  // <dir>/<language>/LC_MESSAGES/imghost.mo
  // Variants (README, "Variants"): the presets /v/<preset>/ knows, and how many bytes
  // all variants together may take before the cleanup removes the least recently used.
  VariantPresets variant_presets = default_variant_presets();
  std::uint64_t variants_max_bytes = 2ull << 30;

  // Defaults, then `file` if given (a missing file named explicitly is an error),
  // then the environment.  Throws ConfigError naming the key and the bad value.
  static Config load(const std::optional<std::filesystem::path>& file);

  // Same, from already-read pieces; used by load() and by the tests.
  static Config from(const std::string& file_text, const std::map<std::string, std::string>& env);

  // The value in force for `key` as text (sizes in bytes, booleans true/false,
  // formats as "jpeg,png"); nullopt for a key that is not a setting.
  std::optional<std::string> get(std::string_view key) const;
  // Every setting's key, in the order of the example configuration.
  static std::vector<std::string_view> keys();
};

}  // namespace imghost
