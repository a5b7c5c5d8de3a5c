#include "store/s3_client.hpp"

#include <curl/curl.h>
#include <fcntl.h>
#include <fmt/format.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <exception>
#include <memory>
#include <mutex>
#include <stdexcept>
#include <system_error>

#include "base/crypto.hpp"
#include "base/posix_file.hpp"

namespace imghost::store {
namespace {

// A body larger than this is refused rather than held in memory (the largest object
// imghost stores is an original within max_file_size).
constexpr std::size_t kMaxBody = 512u << 20;

struct SlistFree {
  void operator()(curl_slist* l) const noexcept { curl_slist_free_all(l); }
};
using Slist = std::unique_ptr<curl_slist, SlistFree>;

void add_header(Slist& list, const std::string& line) {
  curl_slist* next = curl_slist_append(list.get(), line.c_str());
  if (!next) throw std::bad_alloc();
  list.release();
  list.reset(next);
}

struct Upload {
  std::string_view rest;
};

std::size_t read_body(char* buf, std::size_t size, std::size_t n, void* user) {
  auto* up = static_cast<Upload*>(user);
  const std::size_t k = std::min(size * n, up->rest.size());
  std::memcpy(buf, up->rest.data(), k);
  up->rest.remove_prefix(k);
  return k;
}

// A file body: read where libcurl has got to.
struct FileUpload {
  int fd = -1;
  off_t at = 0;
};

std::size_t read_file_body(char* buf, std::size_t size, std::size_t n, void* user) {
  auto* up = static_cast<FileUpload*>(user);
  for (;;) {
    const ssize_t got = ::pread(up->fd, buf, size * n, up->at);
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) return CURL_READFUNC_ABORT;
    up->at += got;
    return static_cast<std::size_t>(got);
  }
}

std::size_t write_body(char* data, std::size_t size, std::size_t n, void* user) {
  auto* out = static_cast<std::string*>(user);
  if (out->size() + size * n > kMaxBody) return 0;  // makes curl fail with CURLE_WRITE_ERROR
  out->append(data, size * n);
  return size * n;
}

// A GET's body to the caller's pieces when the answer is a 200, to the reply (an error
// message) otherwise: the status is known by the first byte of the body.
struct Download {
  CURL* curl = nullptr;
  const std::function<void(std::string_view)>* piece = nullptr;
  std::string* reply = nullptr;
  int to_caller = -1;  // unknown until the first byte
  std::uint64_t received = 0;
  std::exception_ptr error;  // what the caller threw: it cannot cross libcurl
};

std::size_t write_piece(char* data, std::size_t size, std::size_t n, void* user) {
  auto* down = static_cast<Download*>(user);
  if (down->to_caller < 0) {
    long status = 0;
    curl_easy_getinfo(down->curl, CURLINFO_RESPONSE_CODE, &status);
    down->to_caller = status == 200 ? 1 : 0;
  }
  if (!down->to_caller) return write_body(data, size, n, down->reply);
  try {
    (*down->piece)(std::string_view(data, size * n));
  } catch (...) {
    down->error = std::current_exception();
    return 0;  // makes curl fail with CURLE_WRITE_ERROR
  }
  down->received += size * n;
  return size * n;
}

int errno_of(CURLcode rc) {
  switch (rc) {
    case CURLE_COULDNT_CONNECT: return ECONNREFUSED;
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY: return EHOSTUNREACH;
    case CURLE_OPERATION_TIMEDOUT: return ETIMEDOUT;
    default: return EIO;
  }
}

int errno_of_status(long status) {
  if (status == 403 || status == 401) return EACCES;
  if (status == 404) return ENOENT;
  if (status == 400) return EINVAL;
  return EIO;
}

std::string_view between(std::string_view s, std::string_view open, std::string_view close, std::size_t& pos) {
  const auto b = s.find(open, pos);
  if (b == std::string_view::npos) {
    pos = std::string_view::npos;
    return {};
  }
  const auto e = s.find(close, b + open.size());
  if (e == std::string_view::npos) {
    pos = std::string_view::npos;
    return {};
  }
  pos = e + close.size();
  return s.substr(b + open.size(), e - b - open.size());
}

std::optional<std::string_view> element(std::string_view s, std::string_view name) {
  std::size_t pos = 0;
  const std::string open = "<" + std::string(name) + ">";
  const std::string close = "</" + std::string(name) + ">";
  const auto v = between(s, open, close, pos);
  if (pos == std::string_view::npos) return std::nullopt;
  return v;
}

// XML character data: the five predefined entities and numeric references.
std::string xml_text(std::string_view s) {
  std::string out;
  out.reserve(s.size());
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] != '&') {
      out.push_back(s[i]);
      continue;
    }
    const auto semi = s.find(';', i);
    if (semi == std::string_view::npos) throw std::runtime_error("malformed XML entity");
    const std::string_view ent = s.substr(i + 1, semi - i - 1);
    if (ent == "amp")
      out.push_back('&');
    else if (ent == "lt")
      out.push_back('<');
    else if (ent == "gt")
      out.push_back('>');
    else if (ent == "quot")
      out.push_back('"');
    else if (ent == "apos")
      out.push_back('\'');
    else if (ent.size() > 1 && ent[0] == '#') {
      unsigned long cp = 0;
      try {
        cp = ent[1] == 'x' ? std::stoul(std::string(ent.substr(2)), nullptr, 16)
                           : std::stoul(std::string(ent.substr(1)));
      } catch (const std::exception&) { throw std::runtime_error("malformed XML character reference"); }
      // UTF-8 encode.
      if (cp < 0x80) {
        out.push_back(static_cast<char>(cp));
      } else if (cp < 0x800) {
        out.push_back(static_cast<char>(0xc0 | (cp >> 6)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3f)));
      } else if (cp < 0x10000) {
        out.push_back(static_cast<char>(0xe0 | (cp >> 12)));
        out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3f)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3f)));
      } else {
        out.push_back(static_cast<char>(0xf0 | (cp >> 18)));
        out.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3f)));
        out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3f)));
        out.push_back(static_cast<char>(0x80 | (cp & 0x3f)));
      }
    } else {
      throw std::runtime_error("unknown XML entity");
    }
    i = semi;
  }
  return out;
}

void global_init() {
  static std::once_flag once;
  std::call_once(once, [] {
    if (curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) throw std::runtime_error("curl_global_init failed");
  });
}

const std::string kEmptySha256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

}  // namespace

std::string uri_encode(std::string_view s, bool keep_slash) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(s.size());
  for (const unsigned char ch : s) {
    if ((ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '-' || ch == '_' ||
        ch == '.' || ch == '~' || (keep_slash && ch == '/')) {
      out.push_back(static_cast<char>(ch));
    } else {
      out.push_back('%');
      out.push_back(kHex[ch >> 4]);
      out.push_back(kHex[ch & 15]);
    }
  }
  return out;
}

std::optional<std::time_t> parse_iso8601(std::string_view s) {
  // YYYY-MM-DDTHH:MM:SS[.fff]Z
  if (s.size() < 20 || s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':' || s[16] != ':' || s.back() != 'Z')
    return std::nullopt;
  auto num = [&](std::size_t at, std::size_t len) -> int {
    int v = 0;
    for (std::size_t i = at; i < at + len; ++i) {
      if (s[i] < '0' || s[i] > '9') return -1;
      v = v * 10 + (s[i] - '0');
    }
    return v;
  };
  std::tm tm{};
  tm.tm_year = num(0, 4) - 1900;
  tm.tm_mon = num(5, 2) - 1;
  tm.tm_mday = num(8, 2);
  tm.tm_hour = num(11, 2);
  tm.tm_min = num(14, 2);
  tm.tm_sec = num(17, 2);
  if (tm.tm_year < 0 || tm.tm_mon < 0 || tm.tm_mon > 11 || tm.tm_mday < 1 || tm.tm_mday > 31 || tm.tm_hour < 0 ||
      tm.tm_hour > 23 || tm.tm_min < 0 || tm.tm_min > 59 || tm.tm_sec < 0 || tm.tm_sec > 60)
    return std::nullopt;
  const std::string_view frac = s.substr(19, s.size() - 20);
  if (!frac.empty() && (frac[0] != '.' || frac.find_first_not_of("0123456789", 1) != std::string_view::npos))
    return std::nullopt;
  return ::timegm(&tm);
}

S3ListPage parse_list_page(std::string_view xml) {
  if (xml.find("<ListBucketResult") == std::string_view::npos)
    throw std::runtime_error("the listing is not a ListBucketResult");
  S3ListPage page;
  std::size_t pos = 0;
  for (;;) {
    const auto contents = between(xml, "<Contents>", "</Contents>", pos);
    if (pos == std::string_view::npos) break;
    const auto key = element(contents, "Key");
    if (!key) throw std::runtime_error("a listed object has no Key");
    S3Object o;
    o.key = xml_text(*key);
    if (const auto lm = element(contents, "LastModified")) o.last_modified = parse_iso8601(*lm).value_or(0);
    if (const auto sz = element(contents, "Size")) o.size = std::strtoull(std::string(*sz).c_str(), nullptr, 10);
    page.objects.push_back(std::move(o));
  }
  const auto truncated = element(xml, "IsTruncated");
  page.truncated = truncated && *truncated == "true";
  if (const auto token = element(xml, "NextContinuationToken")) page.next_token = xml_text(*token);
  if (page.truncated && page.next_token.empty())
    throw std::runtime_error("a truncated listing without a continuation token");
  return page;
}

std::string describe_s3_error(long status, std::string_view body) {
  std::string out = fmt::format("HTTP {}", status);
  const auto code = element(body, "Code");
  if (!code) return out;
  auto clean = [](std::string_view v, std::size_t max) {
    std::string s;
    for (const char ch : v) {
      if (s.size() >= max) {
        s += "...";
        break;
      }
      if (static_cast<unsigned char>(ch) >= 0x20 && ch != 0x7f) s.push_back(ch);
    }
    return s;
  };
  out += " " + clean(*code, 64);
  if (const auto msg = element(body, "Message")) out += ": " + clean(*msg, 200);
  return out;
}

S3Client::S3Client(S3Options options, S3Credentials credentials)
    : options_(std::move(options)), credentials_(std::move(credentials)), breaker_(options_.cool_down) {
  global_init();
}

S3Client::~S3Client() {
  // A handle inherited through fork() belongs to the parent's connection: leave it.
  if (curl_ && curl_pid_ == ::getpid()) curl_easy_cleanup(static_cast<CURL*>(curl_));
}

void* S3Client::handle() const {
  if (!curl_ || curl_pid_ != ::getpid()) {
    curl_ = curl_easy_init();
    if (!curl_) throw std::system_error(ENOMEM, std::generic_category(), "curl_easy_init");
    curl_pid_ = ::getpid();
  }
  return curl_;
}

S3Client::Reply S3Client::perform(const char* method, const std::string& path_and_query, const Payload& body,
                                  std::string_view content_type, const std::string& what, const Sink& sink) const {
  if (const auto now = CircuitBreaker::Clock::now(); !breaker_.allows(now)) {
    const auto left = std::chrono::ceil<std::chrono::seconds>(*breaker_.open_until() - now).count();
    throw std::system_error(unreachable_errno_, std::generic_category(),
                            fmt::format("S3 {} {} at {}: not tried, the server could not be reached just before "
                                        "({}); next try in {} s",
                                        method, what, location(), unreachable_, left));
  }
  CURL* c = static_cast<CURL*>(handle());
  curl_easy_reset(c);  // options back to defaults; the live connection stays
  Reply reply;
  char errbuf[CURL_ERROR_SIZE] = {0};
  const std::string url = options_.endpoint + "/" + uri_encode(options_.bucket, false) + path_and_query;
  const std::string sigv4 = "aws:amz:" + options_.region + ":s3";
  const bool from_file = body.fd >= 0;
  const std::string payload_hash = from_file            ? body.sha256_hex
                                   : body.bytes.empty() ? kEmptySha256
                                                        : crypto::to_hex(crypto::sha256(body.bytes));

  Slist headers;
  add_header(headers, "x-amz-content-sha256: " + payload_hash);
  if (!credentials_.session_token.empty()) add_header(headers, "x-amz-security-token: " + credentials_.session_token);
  if (!content_type.empty()) add_header(headers, "Content-Type: " + std::string(content_type));
  // No "Expect:" line to suppress 100-continue: libcurl 7.88 would sign the empty header
  // it never sends, and the server would refuse the signature.

  Upload upload{body.bytes};
  FileUpload file_upload{body.fd, 0};
  // A large file may take longer than a request of bytes in memory: a second per MiB more.
  const auto timeout = options_.timeout + std::chrono::seconds(from_file    ? body.size >> 20
                                                               : sink.piece ? sink.expected >> 20
                                                                            : 0);
  curl_easy_setopt(c, CURLOPT_URL, url.c_str());
  curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
  curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
  curl_easy_setopt(c, CURLOPT_ERRORBUFFER, errbuf);
  curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, static_cast<long>(options_.connect_timeout.count()));
  curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, static_cast<long>(timeout.count()));
  // Below 1 byte/s for stall_timeout: nothing moves at all (a server stopped with its
  // socket still open), as opposed to a large body crossing a slow link.
  curl_easy_setopt(c, CURLOPT_LOW_SPEED_LIMIT, 1L);
  curl_easy_setopt(c, CURLOPT_LOW_SPEED_TIME, static_cast<long>(options_.stall_timeout.count()));
  curl_easy_setopt(c, CURLOPT_AWS_SIGV4, sigv4.c_str());
  curl_easy_setopt(c, CURLOPT_USERNAME, credentials_.access_key_id.c_str());
  curl_easy_setopt(c, CURLOPT_PASSWORD, credentials_.secret_access_key.c_str());
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, headers.get());
  Download download;
  download.curl = c;
  download.piece = sink.piece;
  download.reply = &reply.body;
  if (sink.piece) {
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, write_piece);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &download);
  } else {
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, write_body);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, &reply.body);
  }
  if (std::strcmp(method, "PUT") == 0) {
    curl_easy_setopt(c, CURLOPT_UPLOAD, 1L);
    if (from_file) {
      curl_easy_setopt(c, CURLOPT_READFUNCTION, read_file_body);
      curl_easy_setopt(c, CURLOPT_READDATA, &file_upload);
    } else {
      curl_easy_setopt(c, CURLOPT_READFUNCTION, read_body);
      curl_easy_setopt(c, CURLOPT_READDATA, &upload);
    }
    curl_easy_setopt(c, CURLOPT_INFILESIZE_LARGE, static_cast<curl_off_t>(from_file ? body.size : body.bytes.size()));
  } else if (std::strcmp(method, "HEAD") == 0) {
    curl_easy_setopt(c, CURLOPT_NOBODY, 1L);
    curl_easy_setopt(c, CURLOPT_FILETIME, 1L);
  } else if (std::strcmp(method, "GET") != 0) {
    curl_easy_setopt(c, CURLOPT_CUSTOMREQUEST, method);
  }

  const CURLcode rc = curl_easy_perform(c);
  // The secrets are only in the handle's options; clear them now rather than at the
  // next reset, so nothing outlives the request.
  curl_easy_setopt(c, CURLOPT_USERNAME, "");
  curl_easy_setopt(c, CURLOPT_PASSWORD, "");
  curl_easy_setopt(c, CURLOPT_HTTPHEADER, nullptr);
  if (download.error) std::rethrow_exception(download.error);
  if (rc != CURLE_OK) {
    const std::string why = errbuf[0] ? errbuf : curl_easy_strerror(rc);
    const int err = errno_of(rc);
    if (err == ECONNREFUSED || err == EHOSTUNREACH || err == ETIMEDOUT) {
      breaker_.failed(CircuitBreaker::Clock::now());
      unreachable_errno_ = err;
      unreachable_ = why;
    }
    throw std::system_error(err, std::generic_category(),
                            fmt::format("S3 {} {} at {}: {}", method, what, location(), why));
  }
  breaker_.succeeded();
  curl_easy_getinfo(c, CURLINFO_RESPONSE_CODE, &reply.status);
  if (std::strcmp(method, "HEAD") == 0) {
    curl_off_t t = -1;
    if (curl_easy_getinfo(c, CURLINFO_FILETIME_T, &t) == CURLE_OK) reply.last_modified = static_cast<std::time_t>(t);
    curl_off_t length = -1;
    if (curl_easy_getinfo(c, CURLINFO_CONTENT_LENGTH_DOWNLOAD_T, &length) == CURLE_OK) reply.content_length = length;
  }
  if (sink.piece && reply.status == 200 && download.received != sink.expected)
    throw std::system_error(EIO, std::generic_category(),
                            fmt::format("S3 {} {} at {}: {} bytes arrived, {} expected", method, what, location(),
                                        download.received, sink.expected));
  return reply;
}

void S3Client::fail_status(const Reply& r, const std::string& what) const {
  throw std::system_error(errno_of_status(r.status), std::generic_category(),
                          fmt::format("S3 {} at {}: {}", what, location(), describe_s3_error(r.status, r.body)));
}

void S3Client::put(const std::string& key, std::string_view bytes, std::string_view content_type) const {
  const Reply r = perform("PUT", "/" + uri_encode(key, true), bytes, content_type, key);
  if (r.status != 200) fail_status(r, "PUT " + key);
}

void S3Client::put_file(const std::string& key, const std::filesystem::path& path,
                        std::string_view content_type) const {
  const posix_file::Fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NOFOLLOW));
  if (fd.get() < 0) throw std::system_error(errno, std::generic_category(), "open " + path.string());
  const auto digest = crypto::sha256_of_file(fd.get());
  Payload body;
  body.fd = fd.get();
  body.size = digest.size;
  body.sha256_hex = crypto::to_hex(digest.sha256);
  const Reply r = perform("PUT", "/" + uri_encode(key, true), body, content_type, key);
  if (r.status != 200) fail_status(r, "PUT " + key);
}

std::optional<std::string> S3Client::get(const std::string& key) const {
  Reply r = perform("GET", "/" + uri_encode(key, true), {}, {}, key);
  if (r.status == 404) return std::nullopt;
  if (r.status != 200) fail_status(r, "GET " + key);
  return std::move(r.body);
}

bool S3Client::get_pieces(const std::string& key, const std::function<void(std::string_view)>& piece) const {
  const Reply size = perform("HEAD", "/" + uri_encode(key, true), {}, {}, key);
  if (size.status == 404) return false;
  if (size.status != 200) fail_status(size, "HEAD " + key);
  if (size.content_length < 0)
    throw std::system_error(EIO, std::generic_category(), "S3 HEAD " + key + ": no Content-Length");
  const Reply r = perform("GET", "/" + uri_encode(key, true), {}, {}, key,
                          Sink{&piece, static_cast<std::uint64_t>(size.content_length)});
  if (r.status == 404) return false;
  if (r.status != 200) fail_status(r, "GET " + key);
  return true;
}

std::optional<std::time_t> S3Client::head(const std::string& key) const {
  const Reply r = perform("HEAD", "/" + uri_encode(key, true), {}, {}, key);
  if (r.status == 404) return std::nullopt;
  if (r.status != 200) fail_status(r, "HEAD " + key);
  if (r.last_modified < 0)
    throw std::system_error(EIO, std::generic_category(), "S3 HEAD " + key + ": no Last-Modified");
  return r.last_modified;
}

void S3Client::remove(const std::string& key) const {
  const Reply r = perform("DELETE", "/" + uri_encode(key, true), {}, {}, key);
  if (r.status != 204 && r.status != 200 && r.status != 404) fail_status(r, "DELETE " + key);
}

void S3Client::list(const std::string& prefix, const std::function<void(const S3Object&)>& visit) const {
  std::string token;
  for (;;) {
    // The parameters in the sorted order of the canonical query string, each value
    // encoded: libcurl 7.88 signs the query exactly as given.
    std::string query = "?";
    if (!token.empty()) query += "continuation-token=" + uri_encode(token, false) + "&";
    query += "list-type=2&max-keys=1000&prefix=" + uri_encode(prefix, false);
    const Reply r = perform("GET", query, {}, {}, "list " + prefix);
    if (r.status != 200) fail_status(r, "list " + prefix);
    S3ListPage page;
    try {
      page = parse_list_page(r.body);
    } catch (const std::exception& e) {
      throw std::system_error(EIO, std::generic_category(),
                              fmt::format("S3 list {} at {}: {}", prefix, location(), e.what()));
    }
    for (const auto& o : page.objects) visit(o);
    if (!page.truncated) return;
    token = page.next_token;
  }
}

void S3Client::check_bucket() const {
  const Reply r = perform("HEAD", "", {}, {}, "bucket");
  if (r.status != 200) fail_status(r, "HEAD bucket");
}

}  // namespace imghost::store
