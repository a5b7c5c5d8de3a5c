// The only file that knows libfcgi: an http::Request over an accepted FCGX_Request, and
// writing an http::Response back.  Owns nothing of the FCGX_Request's lifetime: the
// worker's accept loop does (FCGX_Accept_r / FCGX_Finish_r).
#pragma once

#include <fcgiapp.h>

#include "http/request.hpp"
#include "http/response.hpp"

namespace imghost {

class FcgiRequest final : public http::Request {
 public:
  explicit FcgiRequest(FCGX_Request& r) : r_(r) {}
  FcgiRequest(const FcgiRequest&) = delete;
  FcgiRequest& operator=(const FcgiRequest&) = delete;

  std::string_view method() const override { return param("REQUEST_METHOD"); }
  std::string_view path() const override { return param("DOCUMENT_URI"); }
  std::string_view query() const override { return param("QUERY_STRING"); }
  std::string_view header(std::string_view name) const override;
  std::string read_body(std::size_t max_bytes) override;

  // Writes status line, headers and body.  Errors (client gone) are ignored: there is
  // no one left to tell.
  void send(const http::Response& resp);

 private:
  std::string_view param(const char* name) const;
  FCGX_Request& r_;
};

}  // namespace imghost
