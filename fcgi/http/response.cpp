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

const char* status_text(int status) {
  switch (status) {
    case 200: return "200 OK";
    case 201: return "201 Created";
    case 204: return "204 No Content";
    case 303: return "303 See Other";
    case 304: return "304 Not Modified";
    case 400: return "400 Bad Request";
    case 403: return "403 Forbidden";
    case 404: return "404 Not Found";
    case 405: return "405 Method Not Allowed";
    case 413: return "413 Payload Too Large";
    case 415: return "415 Unsupported Media Type";
    case 422: return "422 Unprocessable Entity";
    case 503: return "503 Service Unavailable";
    default: return "500 Internal Server Error";
  }
}

}  // namespace imghost::http
