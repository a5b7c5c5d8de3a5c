// A client for one S3-compatible bucket (AWS S3, Ceph RGW, MinIO, Garage, SeaweedFS):
// the few requests the image store needs, path-style (<endpoint>/<bucket>/<key>),
// signed with AWS Signature Version 4 by libcurl (CURLOPT_AWS_SIGV4).  What libcurl
// 7.88 leaves to its caller is done here: the x-amz-content-sha256 header (the payload
// hash, which the server checks against the body), the canonical (RFC 3986) encoding of
// the path and the query, and a query already in the sorted order the signature covers.
//
// Every request has a connect timeout, a stall limit (no byte moved either way for that
// long: a server that accepts connections and never answers is given up on then, not
// at the total timeout) and a total timeout.  After a request could not reach the
// server, the client's circuit breaker (store/circuit_breaker.hpp) refuses requests at
// once for a cool-down, then lets one through as a probe: while the bucket is away an
// upload fails in one stall limit at most, not in one per request.  One libcurl handle
// per client keeps the connection alive between requests; a client used after fork()
// makes a new handle in the child.  Not thread-safe.
//
// Failures throw std::system_error: ECONNREFUSED, EHOSTUNREACH or ETIMEDOUT when the
// server cannot be reached in time (also for a request the breaker refused, with the
// errno of the failure that opened it), EACCES for 403 (wrong credentials, a signature
// the server refuses), ENOENT for a missing bucket, EIO otherwise.  Messages name the
// request, the key and the server's error code and message; never the credentials, a
// signature or a header.
#pragma once

#include <chrono>
#include <cstdint>
#include <ctime>
#include <filesystem>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "store/circuit_breaker.hpp"
#include "store/s3_credentials.hpp"

namespace imghost::store {

struct S3Options {
  std::string endpoint;  // "http://127.0.0.1:9000", no trailing slash
  std::string bucket;
  std::string region = "us-east-1";
  std::chrono::milliseconds connect_timeout{5000};
  std::chrono::milliseconds timeout{30000};  // the whole request
  std::chrono::seconds stall_timeout{5};     // no byte sent or received for this long
  std::chrono::seconds cool_down{5};         // requests refused at once after the server was unreachable
};

// One object of a listing.
struct S3Object {
  std::string key;
  std::time_t last_modified = 0;
  std::uint64_t size = 0;
};

class S3Client {
 public:
  S3Client(S3Options options, S3Credentials credentials);
  ~S3Client();
  S3Client(const S3Client&) = delete;
  S3Client& operator=(const S3Client&) = delete;

  // "<endpoint>/<bucket>", for messages.
  std::string location() const { return options_.endpoint + "/" + options_.bucket; }

  // Stores `bytes` under `key`.  When it returns the server has answered 200: the object
  // is durable there.
  void put(const std::string& key, std::string_view bytes, std::string_view content_type) const;
  // The same with the bytes of the file at `path`, read twice piece by piece (once for
  // the payload hash, once as libcurl sends it): a video of hundreds of megabytes costs
  // the worker a buffer, never its size.  The whole request may take `timeout` plus one
  // second per MiB (the stall limit still applies).  Throws as put(), and
  // std::system_error for the file.
  void put_file(const std::string& key, const std::filesystem::path& path, std::string_view content_type) const;
  // The object's bytes, or nullopt on 404.
  std::optional<std::string> get(const std::string& key) const;
  // The object's bytes handed to `piece` as they arrive (a video of hundreds of megabytes
  // costs a buffer, not its size); false on 404.  A HEAD first learns its size: the GET
  // may take `timeout` plus one second per MiB, and must bring that many bytes.  Throws
  // as get(), and what `piece` throws (the transfer then stops).
  bool get_pieces(const std::string& key, const std::function<void(std::string_view)>& piece) const;
  // The object's Last-Modified time, or nullopt on 404.
  std::optional<std::time_t> head(const std::string& key) const;
  // Deletes the object; one that is not there is not an error.
  void remove(const std::string& key) const;
  // Every object whose key starts with `prefix` (ListObjectsV2, 1000 per page).
  void list(const std::string& prefix, const std::function<void(const S3Object&)>& visit) const;
  // Throws unless the bucket answers a signed HEAD with 200.
  void check_bucket() const;

 private:
  struct Reply {
    long status = 0;
    std::string body;
    std::time_t last_modified = -1;
    std::int64_t content_length = -1;  // of a HEAD's answer, when given
  };
  // A request's body: bytes in memory, or an open file sent from its start.
  struct Payload {
    Payload() = default;
    Payload(std::string_view b) : bytes(b) {}  // NOLINT: bytes are the common case
    std::string_view bytes;
    int fd = -1;             // when the body is a file: its descriptor,
    std::uint64_t size = 0;  // its size
    std::string sha256_hex;  // and its SHA-256 (of the bytes, computed by perform)
  };
  // Where a GET's answer goes: into Reply::body, or, when `piece` is set, a 200's body to
  // it as it arrives (any other answer's still into Reply::body, for its error message).
  struct Sink {
    const std::function<void(std::string_view)>* piece = nullptr;
    std::uint64_t expected = 0;  // its size, for the time allowed
  };
  // One signed request.  `path_and_query` starts with '/' (below the bucket) or '?'.
  Reply perform(const char* method, const std::string& path_and_query, const Payload& body,
                std::string_view content_type, const std::string& what, const Sink& sink) const;
  Reply perform(const char* method, const std::string& path_and_query, const Payload& body,
                std::string_view content_type, const std::string& what) const {
    return perform(method, path_and_query, body, content_type, what, Sink());
  }
  [[noreturn]] void fail_status(const Reply& r, const std::string& what) const;
  void* handle() const;

  S3Options options_;
  S3Credentials credentials_;
  mutable void* curl_ = nullptr;  // CURL*, made on first use
  mutable int curl_pid_ = 0;      // the process that made it
  mutable CircuitBreaker breaker_;
  mutable int unreachable_errno_ = 0;  // the failure that opened the breaker, for the
  mutable std::string unreachable_;    // requests it refuses
};

// --- Pure helpers, exposed for the unit tests ------------------------------------------

// RFC 3986 percent-encoding as SigV4 wants it: unreserved characters stay, every other
// byte is %XX (upper case); '/' stays when `keep_slash`.
std::string uri_encode(std::string_view s, bool keep_slash);

// One page of a ListObjectsV2 answer.
struct S3ListPage {
  std::vector<S3Object> objects;
  bool truncated = false;
  std::string next_token;
};
// Throws std::runtime_error on a body that is not a ListBucketResult.
S3ListPage parse_list_page(std::string_view xml);

// "2026-11-29T15:47:35.000Z" → seconds since the epoch; nullopt if malformed.
std::optional<std::time_t> parse_iso8601(std::string_view s);

// "HTTP 403 SignatureDoesNotMatch: <the server's message>" from an S3 error body (the
// message shortened, control characters dropped); "HTTP <status>" without one.
std::string describe_s3_error(long status, std::string_view body);

}  // namespace imghost::store
