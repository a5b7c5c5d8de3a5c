#include "server/fcgi_request.hpp"

#include <fmt/format.h>

#include <charconv>
#include <climits>
#include <stdexcept>

#include "domain/error.hpp"
#include "http/status.hpp"

namespace imghost {

FcgiListener::FcgiListener(int listen_fd) {
  if (FCGX_Init() != 0) throw std::runtime_error("FCGX_Init failed");
  // FCGI_FAIL_ACCEPT_ON_INTR: a signal ends the wait in accept (EINTR) instead of
  // being retried inside libfcgi, so the worker sees its stop and reopen flags.
  if (FCGX_InitRequest(&raw_, listen_fd, FCGI_FAIL_ACCEPT_ON_INTR) != 0)
    throw std::runtime_error("FCGX_InitRequest failed");
}

FcgiListener::~FcgiListener() { FCGX_Free(&raw_, 1); }

int FcgiListener::accept() { return FCGX_Accept_r(&raw_); }

void FcgiListener::finish() {
  // libfcgi ends a connection with a lingering close: shutdown, then poll and read until
  // nginx closes its end (up to 2 s), so that request bytes never read cannot turn the
  // close into a reset that loses the response.  The worker sits out a round trip through
  // nginx's event loop on every request that way, unable to take the next one.  nginx
  // sends nothing after the end of stdin but its close: once this has read stdin to its
  // end (a handler that answered early left the rest of the body unread), nothing is
  // left to reset, and a detached request is closed at once.
  if (raw_.in) {
    char rest[8192];
    while (FCGX_GetStr(rest, sizeof rest, raw_.in) > 0) {}
    if (!FCGX_GetError(raw_.in)) FCGX_Detach(&raw_);
  }
  FCGX_Finish_r(&raw_);
}

std::string_view FcgiRequest::param(const char* name) const {
  const char* v = FCGX_GetParam(name, r_.envp);
  return v ? std::string_view(v) : std::string_view{};
}

std::string_view FcgiRequest::header(std::string_view name) const {
  // CGI names: Content-Type and Content-Length have no HTTP_ prefix.
  std::string cgi = "HTTP_";
  for (const char c : name)
    cgi.push_back(c == '-' ? '_' : static_cast<char>(std::toupper(static_cast<unsigned char>(c))));
  if (cgi == "HTTP_CONTENT_TYPE" || cgi == "HTTP_CONTENT_LENGTH") cgi.erase(0, 5);
  return param(cgi.c_str());
}

void FcgiRequest::read_body_pieces(std::size_t max_bytes, const std::function<void(std::string_view)>& sink) {
  // nginx buffers the body (also a chunked one) and always sends CONTENT_LENGTH; the
  // limit is checked before a single byte is read.
  const auto cl = param("CONTENT_LENGTH");
  std::size_t length = 0;
  if (!cl.empty()) {
    auto [p, ec] = std::from_chars(cl.data(), cl.data() + cl.size(), length);
    if (ec != std::errc() || p != cl.data() + cl.size()) throw errors::bad_request(i18n::msg("bad Content-Length"));
  }
  if (length > max_bytes)
    throw errors::too_large(i18n::msg("the request body is over the limit of {} bytes", max_bytes));
  // One piece at a time: a body of any size costs this buffer, not its own size.
  std::string buffer(std::min(length, kBodyPiece), '\0');
  std::size_t got = 0;
  while (got < length) {
    const int want = static_cast<int>(std::min(length - got, buffer.size()));
    const int n = FCGX_GetStr(buffer.data(), want, r_.in);
    if (n <= 0) break;  // fewer bytes than asked only at end of input
    got += static_cast<std::size_t>(n);
    sink(std::string_view(buffer.data(), static_cast<std::size_t>(n)));
  }
  if (got != length) throw errors::bad_request(i18n::msg("the request body is shorter than its Content-Length"));
}

void FcgiRequest::send(const http::Response& resp) {
  std::string head = fmt::format("Status: {}\r\n", http::status_text(resp.status));
  for (const auto& [k, v] : resp.headers) head += fmt::format("{}: {}\r\n", k, v);
  head += "\r\n";
  FCGX_PutStr(head.data(), static_cast<int>(head.size()), r_.out);
  if (!resp.body.empty()) FCGX_PutStr(resp.body.data(), static_cast<int>(resp.body.size()), r_.out);
}

}  // namespace imghost
