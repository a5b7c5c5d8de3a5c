// check_gif_frames: table-driven over GIFs made byte by byte (gif_craft.hpp), so that each
// case changes exactly one thing.
#include "image/gif_frames.hpp"

#include <boost/test/unit_test.hpp>
#include <cstdint>
#include <string>
#include <vector>

#include "gif_craft.hpp"

namespace img = imghost::image;
using Outcome = img::GifFramesCheck::Outcome;
using namespace std::string_literals;

using namespace gif_craft;

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
