#include "http/response.hpp"

namespace imghost::http {

Response Response::json(int status, std::string body) {
  Response r;
  r.status = status;
  r.header("Content-Type", "application/json");
  r.header("Cache-Control", "no-store");
  r.body = std::move(body);
  r.body += '\n';
  return r;
}

Response Response::html(int status, std::string body) {
  Response r;
  r.status = status;
  r.header("Content-Type", "text/html; charset=utf-8");
  r.header("Cache-Control", "no-store");
  // Delete links carry their token in the query string: a page must never hand its
  // URL to another site (or to the access log of a thumbnail request) as a Referer.
  r.header("Referrer-Policy", "no-referrer");
  r.header("X-Content-Type-Options", "nosniff");
  r.body = std::move(body);
  return r;
}

}  // namespace imghost::http
