// Hand-made PNG pieces for the unit tests: chunks, zlib bombs, a small ICC profile, a
// tiny image.  Built with zlib directly, independently of the code under test.
#pragma once

#include <zlib.h>

#include <cstdint>
#include <stdexcept>
#include <string>
#include <string_view>

namespace png_craft {

using namespace std::string_literals;

inline std::string be32(std::uint32_t v) {
  return {static_cast<char>(v >> 24), static_cast<char>(v >> 16), static_cast<char>(v >> 8), static_cast<char>(v)};
}
inline std::string be16(std::uint32_t v) { return {static_cast<char>(v >> 8), static_cast<char>(v)}; }

inline const std::string kSignature = "\x89PNG\r\n\x1A\n"s;

inline std::uint32_t crc_of(std::string_view s) {
  return static_cast<std::uint32_t>(
      ::crc32(::crc32(0, nullptr, 0), reinterpret_cast<const Bytef*>(s.data()), static_cast<uInt>(s.size())));
}

// A chunk: length, type, data, CRC (deliberately wrong when good_crc is false).
inline std::string chunk(std::string_view type, std::string_view data, bool good_crc = true) {
  const std::string body = std::string(type) + std::string(data);
  return be32(static_cast<std::uint32_t>(data.size())) + body + be32(crc_of(body) ^ (good_crc ? 0u : 1u));
}

// Raw deflate of `data` ending with a full flush: byte-aligned, not final, and referring
// to nothing before it, so such pieces can be chained into one stream.
inline std::string raw_deflate(std::string_view data) {
  z_stream zs{};
  if (deflateInit2(&zs, 9, Z_DEFLATED, -15, 9, Z_DEFAULT_STRATEGY) != Z_OK) throw std::runtime_error("deflateInit2");
  std::string out(deflateBound(&zs, static_cast<uLong>(data.size())) + 64, '\0');
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
  zs.avail_in = static_cast<uInt>(data.size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  const int ret = deflate(&zs, Z_FULL_FLUSH);
  out.resize(out.size() - zs.avail_out);
  deflateEnd(&zs);
  if (ret != Z_OK) throw std::runtime_error("deflate");
  return out;
}

inline std::uint32_t adler_of(std::string_view s) {
  return static_cast<std::uint32_t>(
      ::adler32(::adler32(0, nullptr, 0), reinterpret_cast<const Bytef*>(s.data()), static_cast<uInt>(s.size())));
}

// A complete zlib stream of `data`.
inline std::string zlib_of(std::string_view data) {
  return "\x78\xDA"s + raw_deflate(data) + "\x03\x00"s + be32(adler_of(data));
}

// A zlib stream that inflates to `prefix` followed by `mib` MiB of zeros: one compressed
// MiB (about 1 KiB) chained `mib` times, so a 1 GiB bomb costs 1 MiB and no time to make.
// A valid stream: it ends, with the right checksum.
inline std::string zlib_bomb(std::uint32_t mib, std::string_view prefix = {}) {
  static const std::string one_mib_of_zeros = raw_deflate(std::string(1u << 20, '\0'));
  static const uLong adler_of_one_mib = adler_of(std::string(1u << 20, '\0'));
  std::string out = "\x78\xDA"s + raw_deflate(prefix);
  out.reserve(out.size() + one_mib_of_zeros.size() * mib + 8);
  uLong adler = adler_of(prefix);
  for (std::uint32_t i = 0; i < mib; ++i) {
    out += one_mib_of_zeros;
    adler = adler32_combine(adler, adler_of_one_mib, 1 << 20);
  }
  return out + "\x03\x00"s + be32(static_cast<std::uint32_t>(adler));
}

// The 128-byte header of an RGB display ICC profile (v2.1) of `size` bytes, then its tag
// count.  libpng checks these fields before it inflates the rest.
inline std::string icc_header(std::uint32_t size, std::uint32_t tags) {
  std::string h = be32(size) + std::string(4, '\0') + be32(0x02100000) + "mntrRGB XYZ " + be16(2024) + be16(1) +
                  be16(1) + std::string(6, '\0') + "acsp" + std::string(24, '\0') + be32(0) +  // perceptual
                  be32(0x0000F6D6) + be32(0x00010000) + be32(0x0000D32D) +                     // D50
                  std::string(4 + 16 + 28, '\0');
  return h + be32(tags);
}

inline std::string s15f16(double v) {
  return be32(static_cast<std::uint32_t>(static_cast<std::int32_t>(v * 65536.0 + 0.5)));
}
inline std::string xyz(double x, double y, double z) {
  return "XYZ "s + std::string(4, '\0') + s15f16(x) + s15f16(y) + s15f16(z);
}

// A small but complete sRGB-like display profile: description, white point, the sRGB
// primaries adapted to D50, a gamma 2.2 curve for each channel, copyright.  About 500 bytes.
inline std::string small_icc_profile() {
  const std::string desc_text = "imghost test sRGB";
  const std::string desc = "desc"s + std::string(4, '\0') + be32(static_cast<std::uint32_t>(desc_text.size() + 1)) +
                           desc_text + '\0' + std::string(4 + 4 + 2 + 1 + 67, '\0');
  const std::string curve = "curv"s + std::string(4, '\0') + be32(1) + be16(0x0233) + std::string(2, '\0');
  const std::string cprt = "text"s + std::string(4, '\0') + "No copyright, test profile" + '\0';
  struct Tag {
    const char* sig;
    std::string data;
  };
  const Tag tags[] = {
      {"desc", desc},
      {"wtpt", xyz(0.9505, 1.0, 1.0891)},
      {"rXYZ", xyz(0.4361, 0.2225, 0.0139)},
      {"gXYZ", xyz(0.3851, 0.7169, 0.0971)},
      {"bXYZ", xyz(0.1431, 0.0606, 0.7141)},
      {"rTRC", curve},
      {"gTRC", curve},
      {"bTRC", curve},
      {"cprt", cprt},
  };
  const std::uint32_t n = sizeof tags / sizeof tags[0];
  std::string table, data;
  std::uint32_t offset = 132 + 12 * n;
  for (const Tag& t : tags) {
    std::string d = t.data;
    d.resize((d.size() + 3) / 4 * 4, '\0');
    table += std::string(t.sig) + be32(offset) + be32(static_cast<std::uint32_t>(t.data.size()));
    data += d;
    offset += static_cast<std::uint32_t>(d.size());
  }
  return icc_header(offset, n) + table + data;
}

// A w x h 8-bit RGB PNG (no ancillary chunk) whose pixels depend on `seed`.
inline std::string tiny_png(std::uint32_t w = 4, std::uint32_t h = 3, unsigned seed = 1) {
  std::string raw;
  for (std::uint32_t y = 0; y < h; ++y) {
    raw += '\0';
    for (std::uint32_t x = 0; x < 3 * w; ++x) raw += static_cast<char>((x * 37 + y * 11 + seed * 101) & 0xFF);
  }
  return kSignature + chunk("IHDR", be32(w) + be32(h) + "\x08\x02\x00\x00\x00"s) + chunk("IDAT", zlib_of(raw)) +
         chunk("IEND", "");
}

// A w x h 8-bit PNG of colour type 0 (gray), 2 (RGB) or 3 (palette of 256 grays) that is
// large but small on disk: a first row of a gradient set by `seed`, then rows that repeat
// it (filter Up, all zeros).  Made from one compressed row chained h - 1 times, so even
// 7000 x 7000 costs about 250 KB and no time.
inline std::string flat_png(std::uint32_t w, std::uint32_t h, int colour_type, unsigned seed = 1) {
  const std::uint32_t channels = colour_type == 2 ? 3 : 1;
  std::string first(1, '\0');
  for (std::uint32_t x = 0; x < w * channels; ++x) first += static_cast<char>((x * 255 / (w * channels) + seed) & 0xFF);
  const std::string same = "\x02"s + std::string(std::size_t{w} * channels, '\0');
  const std::string same_deflated = raw_deflate(same);
  std::string stream = "\x78\xDA"s + raw_deflate(first);
  uLong adler = adler_of(first);
  const uLong same_adler = adler_of(same);
  for (std::uint32_t y = 1; y < h; ++y) {
    stream += same_deflated;
    adler = adler32_combine(adler, same_adler, static_cast<z_off_t>(same.size()));
  }
  stream += "\x03\x00"s + be32(static_cast<std::uint32_t>(adler));
  std::string plte;
  if (colour_type == 3) {
    std::string grays;
    for (int i = 0; i < 256; ++i) grays += std::string(3, static_cast<char>(i));
    plte = chunk("PLTE", grays);
  }
  return kSignature + chunk("IHDR", be32(w) + be32(h) + "\x08"s + static_cast<char>(colour_type) + "\0\0\0"s) + plte +
         chunk("IDAT", stream) + chunk("IEND", "");
}

// Deflate's bit order: values least significant bit first, Huffman codes most
// significant bit first.
class Bits {
 public:
  void put(std::uint32_t value, int n) {
    for (int i = 0; i < n; ++i) bit(value >> i & 1);
  }
  void code(std::uint32_t code, int n) {
    for (int i = n - 1; i >= 0; --i) bit(code >> i & 1);
  }
  const std::string& bytes() const { return bytes_; }

 private:
  void bit(std::uint32_t b) {
    acc_ |= b << n_;
    if (++n_ == 8) {
      bytes_ += static_cast<char>(acc_);
      acc_ = 0;
      n_ = 0;
    }
  }
  std::string bytes_;
  std::uint32_t acc_ = 0;
  int n_ = 0;
};

// Eight deflate blocks with dynamic Huffman codes and no data at all (only end-of-block):
// for each, an inflater builds its code tables, about a microsecond for 32 bytes, and
// produces nothing.  Eight of them end on a byte boundary (257 bytes).
inline std::string empty_dynamic_blocks() {
  Bits b;
  for (int k = 0; k < 8; ++k) {
    b.put(0, 1);  // not the last block
    b.put(2, 2);  // dynamic Huffman codes
    b.put(286 - 257, 5);
    b.put(30 - 1, 5);
    b.put(19 - 4, 4);
    // The code-length code: symbol 16 (repeat the last length) is "0"; the lengths 4, 5,
    // 8 and 9 are "100", "101", "110", "111".
    for (int s : {16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15})
      b.put(s == 16 ? 1 : (s == 4 || s == 5 || s == 8 || s == 9) ? 3 : 0, 3);
    auto length = [&](int s) { b.code(s == 4 ? 4 : s == 5 ? 5 : s == 8 ? 6 : 7, 3); };
    auto repeat = [&](int times) {
      b.code(0, 1);
      b.put(static_cast<std::uint32_t>(times - 3), 2);
    };
    // Literal/length code: 226 symbols of 8 bits, 60 of 9 (complete, as zlib requires).
    length(8);
    for (int i = 0; i < 37; ++i) repeat(6);
    repeat(3);
    length(9);
    for (int i = 0; i < 9; ++i) repeat(6);
    repeat(5);
    // Distance code: 2 symbols of 4 bits, 28 of 5.
    length(4);
    length(4);
    length(5);
    for (int i = 0; i < 4; ++i) repeat(6);
    repeat(3);
    b.code(452 + (256 - 226), 9);  // end of block: symbol 256, among the 9-bit codes from 452
  }
  return b.bytes();
}

// A w x h 8-bit gray PNG whose every row, stored uncompressed, is followed in the zlib
// stream by `stall` x 8 empty dynamic blocks: decoding costs time per row in proportion
// to `stall` (about 0.2 ms per unit here) while the image, and its pixel cache, stay small.
inline std::string png_with_slow_rows(std::uint32_t w, std::uint32_t h, std::uint32_t stall) {
  const std::string blocks = empty_dynamic_blocks();
  std::string raw, stream = "\x78\x01"s;
  for (std::uint32_t y = 0; y < h; ++y) {
    std::string row(1, '\0');
    for (std::uint32_t x = 0; x < w; ++x) row += static_cast<char>((x + y) & 0xFF);
    raw += row;
    const auto n = static_cast<std::uint32_t>(row.size());
    stream += "\x00"s + static_cast<char>(n & 0xFF) + static_cast<char>(n >> 8) + static_cast<char>(~n & 0xFF) +
              static_cast<char>((~n >> 8) & 0xFF) + row;
    for (std::uint32_t i = 0; i < stall; ++i) stream += blocks;
  }
  stream += "\x01\x00\x00\xFF\xFF"s + be32(adler_of(raw));
  return kSignature + chunk("IHDR", be32(w) + be32(h) + "\x08\x00\x00\x00\x00"s) + chunk("IDAT", stream) +
         chunk("IEND", "");
}

// `png` with `chunks` inserted right after IHDR (8-byte signature + 25-byte IHDR).
inline std::string after_ihdr(const std::string& png, const std::string& chunks) {
  return png.substr(0, 33) + chunks + png.substr(33);
}

// Payloads of the compressed chunks: the stream is complete (e.g. zlib_of or zlib_bomb).
inline std::string iccp(std::string_view stream, std::string_view name = "ICC Profile") {
  return chunk("iCCP", std::string(name) + '\0' + '\0' + std::string(stream));
}
inline std::string ztxt(std::string_view stream, std::string_view keyword = "Comment") {
  return chunk("zTXt", std::string(keyword) + '\0' + '\0' + std::string(stream));
}
inline std::string itxt(std::string_view text, bool compressed, std::string_view keyword = "XML:com.adobe.xmp") {
  return chunk("iTXt", std::string(keyword) + '\0' + (compressed ? '\1' : '\0') + '\0' + "en" + '\0' + "Comment" +
                           '\0' + std::string(text));
}

}  // namespace png_craft
