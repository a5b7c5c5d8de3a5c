// The only file that knows libfcgi: accepting FastCGI requests on the listening socket
// (FcgiListener), an http::Request over the accepted one, and writing an http::Response
// back (FcgiRequest).
#pragma once

#include <fcgiapp.h>

#include "http/request.hpp"
#include "http/response.hpp"

namespace imghost {

// libfcgi's state for one worker: one FCGX_Request, reused for every request, owned
// here (freed in the destructor).  Not thread-safe; one per worker process.
class FcgiListener {
 public:
  // FCGX_Init and the request on `listen_fd`; throws std::runtime_error if libfcgi
  // cannot start.  Call before installing signal handlers: FCGX_Init installs its own.
  explicit FcgiListener(int listen_fd);
  ~FcgiListener();
  FcgiListener(const FcgiListener&) = delete;
  FcgiListener& operator=(const FcgiListener&) = delete;

  // Waits for the next request.  0 when one was accepted, -EINTR when a signal
  // interrupted the wait, another negative errno when accepting failed.
  int accept();
  // Flushes the response and ends the request (the client has its answer).
  void finish();
  FCGX_Request& request() { return raw_; }

 private:
  FCGX_Request raw_;
};

class FcgiRequest final : public http::Request {
 public:
  explicit FcgiRequest(FCGX_Request& r) : r_(r) {}
  FcgiRequest(const FcgiRequest&) = delete;
  FcgiRequest& operator=(const FcgiRequest&) = delete;

  std::string_view method() const override { return param("REQUEST_METHOD"); }
  std::string_view path() const override { return param("DOCUMENT_URI"); }
  std::string_view query() const override { return param("QUERY_STRING"); }
  std::string_view header(std::string_view name) const override;
  void read_body_pieces(std::size_t max_bytes, const std::function<void(std::string_view)>& sink) override;

  // Writes status line, headers and body.  Errors (client gone) are ignored: there is
  // no one left to tell.
  void send(const http::Response& resp);

 private:
  std::string_view param(const char* name) const;
  FCGX_Request& r_;
};

}  // namespace imghost
