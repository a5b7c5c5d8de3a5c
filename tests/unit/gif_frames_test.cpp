// check_gif_frames: table-driven over GIFs made byte by byte here (a two-colour screen,
// frames of literal LZW codes), so that each case changes exactly one thing.
#include "image/gif_frames.hpp"

#include <boost/test/unit_test.hpp>
#include <cstdint>
#include <string>
#include <vector>

namespace img = imghost::image;
using Outcome = img::GifFramesCheck::Outcome;
using namespace std::string_literals;

namespace {

std::string le16(unsigned v) { return {static_cast<char>(v & 0xFF), static_cast<char>(v >> 8)}; }

// LZW codes of `codes`, 3 bits each (minimum code size 2), packed from the low bit up.
std::string pack3(const std::vector<unsigned>& codes) {
  std::string out;
  unsigned acc = 0, bits = 0;
  for (unsigned c : codes) {
    acc |= c << bits;
    bits += 3;
    while (bits >= 8) {
      out.push_back(static_cast<char>(acc & 0xFF));
      acc >>= 8;
      bits -= 8;
    }
  }
  if (bits) out.push_back(static_cast<char>(acc));
  return out;
}

// Data sub-blocks of `data` (at most 255 bytes each), then the block terminator.
std::string blocks(const std::string& data) {
  std::string out;
  for (std::size_t at = 0; at < data.size(); at += 255) {
    const std::string part = data.substr(at, 255);
    out += static_cast<char>(part.size()) + part;
  }
  return out + '\0';
}

// The image data of a w x h frame of colour `index`: a clear code before every two
// literals keeps the codes 3 bits wide, whatever a decoder adds to its table.
std::string pixels(unsigned w, unsigned h, unsigned index = 1) {
  std::vector<unsigned> codes;
  for (unsigned i = 0; i < w * h; ++i) {
    if (i % 2 == 0) codes.push_back(4);  // clear
    codes.push_back(index);
  }
  codes.push_back(5);  // end of information
  return "\x02"s + blocks(pack3(codes));
}

std::string frame(unsigned w, unsigned h, const std::string& data) {
  return "\x2C"s + le16(0) + le16(0) + le16(w) + le16(h) + '\0' + data;
}

std::string frame(unsigned w, unsigned h) { return frame(w, h, pixels(w, h)); }

// A GIF89a of an 8x4 screen with a two-colour table, then `body`.
std::string gif(const std::string& body) {
  return "GIF89a"s + le16(8) + le16(4) + "\x80\x00\x00"s + "\x00\x00\x00\xFF\xFF\xFF"s + body;
}

// The same screen without a colour table (the flag off, the size bits 0: two colours).
std::string bare(const std::string& body) { return "GIF89a"s + le16(8) + le16(4) + "\x00\x00\x00"s + body; }

const std::string kDelay = "\x21\xF9\x04\x00\x0A\x00\x00\x00"s;  // graphic control: 0.1 s
const std::string kTrailer = "\x3B";

}  // namespace

BOOST_AUTO_TEST_SUITE(gif_frames)

BOOST_AUTO_TEST_CASE(frames_are_walked_and_checked) {
  const std::string three = kDelay + frame(8, 4) + kDelay + frame(8, 4) + kDelay + frame(4, 2);
  const std::string good_data = pixels(8, 4);
  struct Case {
    const char* what;
    std::string bytes;
    Outcome outcome;
    std::uint32_t frames;
    std::string problem;
  };
  const Case cases[] = {
      {"one frame", gif(frame(8, 4) + kTrailer), Outcome::fine, 1, ""},
      {"three frames", gif(three + kTrailer), Outcome::fine, 3, ""},
      {"three frames, no trailer", gif(three), Outcome::fine, 3, ""},
      {"a byte that starts no record ends the walk", gif(frame(8, 4) + "x" + frame(8, 4) + kTrailer), Outcome::fine, 1,
       ""},
      {"bytes after the trailer are not read", gif(frame(8, 4) + kTrailer + "junk"), Outcome::fine, 1, ""},
      {"a frame without pixels", gif(frame(8, 4) + frame(0, 0, "\x02\x00"s) + kTrailer), Outcome::fine, 2, ""},
      // The first frame is ImageMagick's to decode: its codes are not read here.
      {"bad codes in the first frame", gif(frame(8, 4, "\x02"s + blocks(pack3({4, 7, 7, 7}))) + kTrailer),
       Outcome::fine, 1, ""},
      {"bad codes in the second frame",
       gif(frame(8, 4) + frame(8, 4, "\x02"s + blocks(pack3({4, 7, 7, 7}))) + kTrailer), Outcome::corrupt, 2,
       "frame 2: Image is defective, decoding aborted"},
      // giflib reads on for the missing pixels, past the frame's end, to the file's.
      {"too few pixels in the second frame", gif(frame(8, 4) + frame(8, 4, pixels(8, 3)) + kTrailer), Outcome::corrupt,
       2, "frame 2: truncated"},
      // ImageMagick refuses these ("invalid colormap index"), and refused them in any frame.
      {"an index past the screen's table", gif(frame(8, 4) + frame(8, 4, pixels(8, 4, 3)) + kTrailer), Outcome::corrupt,
       2, "frame 2: invalid colormap index"},
      {"an index past the frame's own table",
       gif(frame(8, 4) + "\x2C"s + le16(0) + le16(0) + le16(8) + le16(4) + "\x80\0\0\0\xFF\xFF\xFF"s + pixels(8, 4, 2) +
           kTrailer),
       Outcome::corrupt, 2, "frame 2: invalid colormap index"},
      {"without a table: the screen's packed byte still sizes it",
       bare(frame(8, 4) + frame(8, 4, pixels(8, 4, 1)) + kTrailer), Outcome::fine, 2, ""},
      {"without a table, an index past that size", bare(frame(8, 4) + frame(8, 4, pixels(8, 4, 2)) + kTrailer),
       Outcome::corrupt, 2, "frame 2: invalid colormap index"},
      {"cut inside the second frame", gif(frame(8, 4) + frame(8, 4, good_data.substr(0, good_data.size() / 2))),
       Outcome::corrupt, 2, "frame 2: truncated"},
      {"cut inside the first frame", gif(frame(8, 4)).substr(0, 30), Outcome::corrupt, 1, "frame 1: truncated"},
      {"cut inside an extension", gif(frame(8, 4) + kDelay.substr(0, 5)), Outcome::corrupt, 1, "truncated"},
      {"not a GIF", "\x89PNG\r\n\x1A\n", Outcome::corrupt, 0, "Data is not in GIF format"},
  };
  for (const Case& c : cases) {
    BOOST_TEST_CONTEXT(c.what) {
      const auto out = img::check_gif_frames(c.bytes, 10, [] { return true; });
      BOOST_TEST((out.outcome == c.outcome));
      BOOST_TEST(out.frames == c.frames);
      BOOST_TEST(out.problem == c.problem);
    }
  }
}

BOOST_AUTO_TEST_CASE(the_walk_stops_at_max_frames) {
  std::string body;
  for (int i = 0; i < 5; ++i) body += frame(8, 4);
  const auto out = img::check_gif_frames(gif(body + kTrailer), 3, [] { return true; });
  BOOST_TEST((out.outcome == Outcome::fine));
  BOOST_TEST(out.frames == 3u);
}

// Asked before every frame and every 64 rows: a tall frame is stopped inside.
BOOST_AUTO_TEST_CASE(the_walk_stops_when_told) {
  const std::string tall = gif(frame(8, 4) + frame(1, 200) + kTrailer);
  int asked = 0;
  const auto out = img::check_gif_frames(tall, 10, [&] { return ++asked < 4; });
  BOOST_TEST((out.outcome == Outcome::stopped));
  BOOST_TEST(asked == 4);  // before frame 1, before frame 2, after rows 64 and 128
  BOOST_TEST((img::check_gif_frames(tall, 10, [] { return true; }).outcome == Outcome::fine));
}

BOOST_AUTO_TEST_SUITE_END()
