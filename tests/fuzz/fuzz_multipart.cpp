// fuzz-sources: fcgi/http/multipart.cpp fcgi/base/text.cpp fcgi/base/hex.cpp
//
// libFuzzer target for multipart::parse and multipart::boundary_from_content_type.
//
// Input: the boundary, a '\n', then the body.  Inputs without a '\n' in their
// first kMaxBoundaryLine bytes are skipped, so every input the fuzzer keeps has
// a short boundary, as real requests do after boundary_from_content_type.
//
// Beyond "no crash, no sanitizer report", checks:
//   * only ParseError escapes parse;
//   * the streaming Parser, fed the body in pieces of random sizes (drawn from a
//     generator seeded by the input, so a crash reproduces), and in pieces of 1 byte,
//     gives exactly the parts, bytes and error of parse() on the whole body;
//   * parts <= max_parts, every name is non-empty, every non-empty body lies inside
//     the input buffer and the bodies come in order without overlapping;
//   * round trip: the parts, written back out in canonical form, parse to the
//     same names, filenames, content types and bodies.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <vector>

#include "http/multipart.hpp"

namespace mp = imghost::multipart;

namespace {

constexpr std::size_t kMaxBoundaryLine = 80;  // a bit over 70 to reach the length check

[[noreturn]] void fail(const char* what) {
  std::fprintf(stderr, "invariant violated: %s\n", what);
  std::abort();
}

void check(bool ok, const char* what) {
  if (!ok) fail(what);
}

std::string quote(std::string_view s) {
  std::string out = "\"";
  for (char c : s) {
    if (c == '"' || c == '\\') out += '\\';
    out += c;
  }
  return out + '"';
}

// filename* carries any byte, including CR and LF that percent-decoding can
// produce, which a quoted filename could not.
std::string ext_value(std::string_view s) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string out = "utf-8''";
  for (char c : s) {
    const auto b = static_cast<unsigned char>(c);
    out += '%';
    out += kHex[b >> 4];
    out += kHex[b & 0xf];
  }
  return out;
}

std::string serialize(const std::vector<mp::Part>& parts, std::string_view boundary) {
  const std::string dash = "--" + std::string(boundary);
  std::string out;
  for (const mp::Part& p : parts) {
    out += dash + "\r\nContent-Disposition: form-data; name=" + quote(p.name);
    if (p.filename) out += "; filename*=" + ext_value(*p.filename);
    out += "\r\n";
    if (!p.content_type.empty()) out += "Content-Type: " + p.content_type + "\r\n";
    out += "\r\n";
    out += p.body;
    out += "\r\n";
  }
  return out + dash + "--\r\n";
}

struct Streamed {
  mp::Part headers;
  std::string body;
};

class Recorder final : public mp::PartSink {
 public:
  std::vector<Streamed> parts;
  void part_begin(const mp::Part& h) override { parts.push_back({h, ""}); }
  void part_data(std::string_view bytes) override {
    check(!bytes.empty() && !parts.empty(), "data only inside a part, never empty");
    parts.back().body.append(bytes);
  }
  void part_end() override {}
};

// The body fed in pieces whose sizes come from `next_size`; the error text, if any.
template <typename NextSize>
std::string stream(std::string_view body, std::string_view boundary, const mp::Limits& limits, Recorder& rec,
                   NextSize next_size) {
  try {
    mp::Parser parser(boundary, rec, limits);
    for (std::size_t at = 0; at < body.size();) {
      const std::size_t n = std::min(next_size(), body.size() - at);
      parser.feed(body.substr(at, n));
      at += n;
    }
    parser.finish();
  } catch (const mp::ParseError& e) { return e.what(); }
  return {};
}

void check_same(const std::string& whole_error, const std::vector<mp::Part>& parts, const std::string& error,
                const Recorder& rec) {
  check(error == whole_error, "streamed: same error as whole");
  if (!error.empty()) return;
  check(rec.parts.size() == parts.size(), "streamed: same part count");
  for (std::size_t i = 0; i < parts.size(); ++i) {
    check(rec.parts[i].headers.name == parts[i].name, "streamed: same name");
    check(rec.parts[i].headers.filename == parts[i].filename, "streamed: same filename");
    check(rec.parts[i].headers.content_type == parts[i].content_type, "streamed: same content type");
    check(rec.parts[i].body == parts[i].body, "streamed: same body");
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  const std::size_t newline = input.substr(0, kMaxBoundaryLine).find('\n');
  if (newline == std::string_view::npos) return -1;  // keep out of the corpus
  const std::string_view boundary = input.substr(0, newline);
  const std::string_view body = input.substr(newline + 1);

  if (const auto b = mp::boundary_from_content_type(boundary)) {
    check(!b->empty() && b->size() <= 70, "boundary length within 1..70");
  }

  const mp::Limits limits{.max_parts = 16, .max_header_bytes = 512};
  std::vector<mp::Part> parts;
  std::string whole_error;
  try {
    parts = mp::parse(body, boundary, limits);
  } catch (const mp::ParseError& e) { whole_error = e.what(); }

  if (!boundary.empty()) {
    std::minstd_rand rng(static_cast<std::uint32_t>(std::hash<std::string_view>{}(input)));
    Recorder random_pieces;
    const std::string e1 = stream(body, boundary, limits, random_pieces, [&] {
      // Mostly small pieces (where the cuts fall inside delimiters), now and then big ones.
      return rng() % 8 == 0 ? std::size_t{1} + rng() % 4096 : std::size_t{1} + rng() % 16;
    });
    check_same(whole_error, parts, e1, random_pieces);
    Recorder bytes;
    check_same(whole_error, parts, stream(body, boundary, limits, bytes, [] { return std::size_t{1}; }), bytes);
  }
  if (!whole_error.empty()) return 0;

  check(parts.size() <= limits.max_parts, "parts <= max_parts");
  const char* previous_end = body.data();
  for (const mp::Part& p : parts) {
    check(!p.name.empty(), "part has a name");
    if (p.body.empty()) continue;
    check(p.body.data() >= previous_end, "bodies in order, not overlapping");
    check(p.body.data() + p.body.size() <= body.data() + body.size(), "body inside input");
    previous_end = p.body.data() + p.body.size();
  }

  // A boundary containing CR can overlap the CRLF that precedes it, so a body
  // next to a different delimiter line may frame differently; skip those.
  if (boundary.find('\r') != std::string_view::npos) return 0;
  const std::string again = serialize(parts, boundary);
  std::vector<mp::Part> reparsed;
  try {
    reparsed = mp::parse(again, boundary, {.max_parts = limits.max_parts, .max_header_bytes = again.size()});
  } catch (const mp::ParseError& e) {
    std::fprintf(stderr, "reparse failed: %s\n", e.what());
    fail("canonical form parses");
  }
  check(reparsed.size() == parts.size(), "round trip keeps the part count");
  for (std::size_t i = 0; i < parts.size(); ++i) {
    check(reparsed[i].name == parts[i].name, "round trip keeps the name");
    check(reparsed[i].filename == parts[i].filename, "round trip keeps the filename");
    check(reparsed[i].content_type == parts[i].content_type, "round trip keeps the content type");
    check(reparsed[i].body == parts[i].body, "round trip keeps the body");
  }
  return 0;
}
