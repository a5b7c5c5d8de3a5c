#include "image/png_chunks.hpp"

#define ZLIB_CONST  // next_in points at const bytes
#include <zlib.h>

#include <algorithm>
#include <array>
#include <cstddef>
#include <functional>
#include <initializer_list>
#include <new>

#include "base/binary.hpp"

// Chunks (PNG spec 5.3): u32be length (< 2^31), a 4-letter type, the data, a CRC-32 over
// type and data.  A lower-case first letter marks an ancillary chunk.  Lengths are
// compared as `remaining < needed`, never as `pos + needed`, so nothing can overflow.

namespace imghost::image {

namespace {

constexpr std::string_view kSignature("\x89PNG\r\n\x1a\n", 8);
constexpr std::uint64_t kMiB = 1u << 20;

using Byte = unsigned char;

using binary::be32;

bool ascii_letter(char c) { return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z'); }

bool is_critical(std::string_view type) { return (static_cast<Byte>(type[0]) & 0x20) == 0; }

struct Chunk {
  std::string_view type;
  std::string_view data;
  std::string_view whole;  // length, type, data and CRC
};

// The chunks after the signature, in order, up to and including IEND.  Ends early where
// the structure breaks: fewer than 12 bytes left, a length over 2^31 - 1 or past the end,
// a type that is not four ASCII letters.  The caller has checked the signature.
class ChunkWalk {
 public:
  explicit ChunkWalk(std::string_view png) : png_(png) {}

  std::optional<Chunk> next() {
    if (ended_ || png_.size() - pos_ < 12) return std::nullopt;
    const std::uint32_t length = be32(png_, pos_);
    if (length > 0x7FFFFFFF || png_.size() - pos_ - 12 < length) return std::nullopt;
    const std::string_view type = png_.substr(pos_ + 4, 4);
    if (!std::all_of(type.begin(), type.end(), ascii_letter)) return std::nullopt;
    const Chunk c{type, png_.substr(pos_ + 8, length), png_.substr(pos_, 12 + std::size_t{length})};
    pos_ += c.whole.size();
    ended_ = type == "IEND";
    return c;
  }

 private:
  std::string_view png_;
  std::size_t pos_ = kSignature.size();
  bool ended_ = false;
};

// The zlib stream of a chunk a viewer inflates, or nullopt.  iCCP: profile name, NUL,
// method byte, stream.  zTXt: keyword, NUL, method byte, stream.  iTXt: keyword, NUL,
// compression flag, method byte, language tag, NUL, translated keyword, NUL, text (a
// stream when the flag is set).  Conservative on purpose: the keyword's length (79 at
// most by the spec) and the method byte (0) are not checked, and any non-zero flag
// counts as set, so that whatever a lenient viewer might inflate is inflated here too.
std::optional<std::string_view> compressed_stream(const Chunk& c) {
  const std::string_view d = c.data;
  const std::size_t nul = d.find('\0');
  if (nul == std::string_view::npos) return std::nullopt;
  if (c.type == "iCCP" || c.type == "zTXt") {
    if (d.size() - nul < 2) return std::nullopt;
    return d.substr(nul + 2);
  }
  if (c.type != "iTXt" || d.size() - nul < 3 || d[nul + 1] == '\0') return std::nullopt;
  const std::size_t language_end = d.find('\0', nul + 3);
  if (language_end == std::string_view::npos) return std::nullopt;
  const std::size_t translated_end = d.find('\0', language_end + 1);
  if (translated_end == std::string_view::npos) return std::nullopt;
  return d.substr(translated_end + 1);
}

// One zlib inflater for all the chunks of a file: inflateInit allocates (about 7 KiB,
// and the 32 KiB window on first use), inflateReset does not.
class Inflater {
 public:
  Inflater() {
    if (inflateInit(&zs_) != Z_OK) throw std::bad_alloc();
  }
  ~Inflater() { inflateEnd(&zs_); }
  Inflater(const Inflater&) = delete;
  Inflater& operator=(const Inflater&) = delete;

  // Inflates `stream` until it ends, breaks, or has produced more than `limit` bytes, and
  // returns how many it produced (so at most `limit` plus one buffer).  The first four
  // bytes produced go to `head` (zero-filled if fewer).
  std::uint64_t inflate(std::string_view stream, std::uint64_t limit, std::array<Byte, 4>& head) {
    inflateReset(&zs_);
    head.fill(0);
    std::uint64_t produced = 0;
    feed(stream, limit, produced, &head, nullptr);
    return produced;
  }

  // What went on with a stream fed in pieces: more input wanted, ended (or broke), over
  // the limit, or stopped by `keep_going`.
  enum class Fed { more, ended, over, stopped };

  // Starts a stream to be fed in pieces with feed().
  void reset() { inflateReset(&zs_); }

  // Inflates `piece`, the next part of the stream, adding the output to `produced`.  With
  // `head`, the first bytes produced go there; with `keep_going`, it is asked after each
  // buffer of output.
  Fed feed(std::string_view piece, std::uint64_t limit, std::uint64_t& produced, std::array<Byte, 4>* head,
           const std::function<bool()>* keep_going) {
    zs_.next_in = reinterpret_cast<const Bytef*>(piece.data());
    zs_.avail_in = static_cast<uInt>(piece.size());  // a chunk is under 2^31 bytes
    for (;;) {
      zs_.next_out = out_.data();
      zs_.avail_out = static_cast<uInt>(out_.size());
      const int ret = ::inflate(&zs_, Z_NO_FLUSH);
      const std::size_t got = out_.size() - zs_.avail_out;
      if (head)
        for (std::size_t i = 0; produced + i < head->size() && i < got; ++i) (*head)[produced + i] = out_[i];
      produced += got;
      if (produced > limit) return Fed::over;
      if (ret == Z_MEM_ERROR) throw std::bad_alloc();
      // Z_OK always made progress (input consumed or output produced), and both are
      // bounded.  Z_BUF_ERROR: this piece is used up.  Anything else is the end:
      // Z_STREAM_END, or a corrupt stream (Z_DATA_ERROR, Z_NEED_DICT).
      if (ret == Z_BUF_ERROR || (ret == Z_OK && zs_.avail_in == 0 && zs_.avail_out != 0)) return Fed::more;
      if (ret != Z_OK) return Fed::ended;
      if (keep_going && !(*keep_going)()) return Fed::stopped;
    }
  }

 private:
  z_stream zs_{};
  std::array<Bytef, 32 * 1024> out_{};
};

// Bits per pixel of a valid (colour type, bit depth) pair, 0 for an invalid one.
std::uint32_t bits_per_pixel(Byte colour_type, Byte depth) {
  const auto allowed = [&](std::initializer_list<int> depths) {
    return std::find(depths.begin(), depths.end(), depth) != depths.end();
  };
  switch (colour_type) {
    case 0: return allowed({1, 2, 4, 8, 16}) ? depth : 0;  // gray
    case 2: return allowed({8, 16}) ? 3u * depth : 0;      // RGB
    case 3: return allowed({1, 2, 4, 8}) ? depth : 0;      // palette
    case 4: return allowed({8, 16}) ? 2u * depth : 0;      // gray and alpha
    case 6: return allowed({8, 16}) ? 4u * depth : 0;      // RGB and alpha
    default: return 0;
  }
}

// Bytes of `rows` rows of `width` pixels, each with its filter byte.
std::uint64_t rows_size(std::uint64_t width, std::uint64_t rows, std::uint32_t bpp) {
  if (width == 0 || rows == 0) return 0;  // an empty Adam7 pass has no filter bytes either
  return rows * (1 + (width * bpp + 7) / 8);
}

std::string size_text(std::uint64_t bytes) {
  return bytes % kMiB == 0 ? std::to_string(bytes / kMiB) + " MiB" : std::to_string(bytes) + " bytes";
}

}  // namespace

bool is_png_rendering_chunk(std::string_view type) {
  // An allow-list, so that private or future text-like chunks (e.g. C2PA "caBX", vendor
  // chunks) are never kept.
  static constexpr std::string_view kKept[] = {
      "tRNS", "gAMA", "cHRM", "sRGB", "iCCP", "sBIT", "pHYs", "bKGD",  // colour, density
      "cICP", "mDCv", "cLLi",                                          // HDR (PNG 3rd ed.)
      "acTL", "fcTL", "fdAT",                                          // APNG
  };
  return std::find(std::begin(kKept), std::end(kKept), type) != std::end(kKept);
}

std::string png_for_decoder(std::string_view png) {
  if (png.substr(0, kSignature.size()) != kSignature) return std::string(png);
  std::string out(kSignature);
  out.reserve(png.size());
  ChunkWalk walk(png);
  while (const auto c = walk.next())
    if (is_critical(c->type) || is_png_rendering_chunk(c->type)) out.append(c->whole);
  return out;
}

std::optional<std::string> find_png_bomb(std::string_view png, const InflateCaps& caps) {
  if (png.substr(0, kSignature.size()) != kSignature) return std::nullopt;
  std::optional<Inflater> inflater;  // made at the first compressed chunk: most files have none
  std::uint64_t total = 0;           // never more than caps.per_file
  ChunkWalk walk(png);
  while (const auto c = walk.next()) {
    const auto stream = compressed_stream(*c);
    if (!stream) continue;
    if (!inflater) inflater.emplace();
    const std::uint64_t room = caps.per_file - total;
    const std::uint64_t limit = std::min(caps.per_chunk, room);
    std::array<Byte, 4> head{};
    const std::uint64_t produced = inflater->inflate(*stream, limit, head);
    const std::string name(c->type);
    if (produced > limit) {
      if (limit == caps.per_chunk)
        return "has " + std::string(name[0] == 'i' ? "an " : "a ") + name + " chunk that inflates to over " +
               size_text(caps.per_chunk) + " (a decompression bomb)";
      return "has compressed chunks that inflate to over " + size_text(caps.per_file) +
             " together (a decompression bomb)";
    }
    // An ICC profile starts with its own size, which libpng allocates before inflating.
    const std::string_view profile_head(reinterpret_cast<const char*>(head.data()), head.size());
    if (name == "iCCP" && produced >= 4 && be32(profile_head, 0) > caps.per_chunk)
      return "has an iCCP chunk whose profile claims " + std::to_string(be32(profile_head, 0)) +
             " bytes, over the limit of " + size_text(caps.per_chunk) + " (a decompression bomb)";
    total += produced;
  }
  return std::nullopt;
}

std::optional<std::uint64_t> png_image_data_size(std::string_view png) {
  // The signature, then IHDR: u32be 13, "IHDR", u32be width, u32be height, bit depth,
  // colour type, compression, filter, interlace.
  if (png.size() < 8 + 8 + 13 || png.substr(0, kSignature.size()) != kSignature) return std::nullopt;
  if (be32(png, 8) != 13 || png.substr(12, 4) != "IHDR") return std::nullopt;
  const std::uint64_t width = be32(png, 16), height = be32(png, 20);
  const auto* f = reinterpret_cast<const Byte*>(png.data() + 24);
  const std::uint32_t bpp = bits_per_pixel(f[1], f[0]);
  if (width == 0 || height == 0 || width > 0x7FFFFFFF || height > 0x7FFFFFFF || bpp == 0 || f[2] != 0 || f[3] != 0 ||
      f[4] > 1)
    return std::nullopt;
  if (f[4] == 0) return rows_size(width, height, bpp);
  // Adam7: pass p takes the pixels at (x0 + k dx, y0 + j dy).
  struct Pass {
    std::uint64_t x0, y0, dx, dy;
  };
  static constexpr Pass kPasses[] = {{0, 0, 8, 8}, {4, 0, 8, 8}, {0, 4, 4, 8}, {2, 0, 4, 4},
                                     {0, 2, 2, 4}, {1, 0, 2, 2}, {0, 1, 1, 2}};
  std::uint64_t total = 0;
  for (const Pass& p : kPasses) {
    const std::uint64_t w = width > p.x0 ? (width - p.x0 + p.dx - 1) / p.dx : 0;
    const std::uint64_t h = height > p.y0 ? (height - p.y0 + p.dy - 1) / p.dy : 0;
    total += rows_size(w, h, bpp);
  }
  return total;
}

std::uint64_t png_image_data_bound(std::string_view png) {
  if (png.substr(0, kSignature.size()) != kSignature) return 0;
  std::uint64_t bytes = 0;
  ChunkWalk walk(png);
  while (const auto c = walk.next())
    if (c->type == "IDAT") bytes += c->data.size();
  return bytes * 1032;
}

ImageDataCheck check_png_image_data(std::string_view png, std::uint64_t expected,
                                    const std::function<bool()>& keep_going) {
  if (png.substr(0, kSignature.size()) != kSignature) return ImageDataCheck::fits;
  std::optional<Inflater> inflater;
  std::uint64_t produced = 0;
  ChunkWalk walk(png);
  while (const auto c = walk.next()) {
    if (c->type != "IDAT") continue;
    if (!inflater) {
      inflater.emplace();
      inflater->reset();
    }
    // Large chunks go in slices, so that keep_going is asked also while an input that
    // produces nothing (empty deflate blocks) is consumed.
    for (std::size_t at = 0; at < c->data.size() || at == 0; at += 64 * 1024) {
      switch (inflater->feed(c->data.substr(at, 64 * 1024), expected, produced, nullptr, &keep_going)) {
        case Inflater::Fed::more: break;
        case Inflater::Fed::ended: return ImageDataCheck::fits;
        case Inflater::Fed::over: return ImageDataCheck::too_much;
        case Inflater::Fed::stopped: return ImageDataCheck::stopped;
      }
      if (!keep_going()) return ImageDataCheck::stopped;
      if (c->data.empty()) break;
    }
  }
  return ImageDataCheck::fits;
}

}  // namespace imghost::image
