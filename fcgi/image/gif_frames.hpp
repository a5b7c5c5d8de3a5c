// Checking the frames of a GIF animation that ImageMagick does not decode.
//
// inspect() decodes a GIF's first frame with ImageMagick (it feeds the thumbnail, and
// ImageMagick's frame is what the encoders and the palette reduction work on), and only
// that one: the other frames are decoded only to refuse a file whose image data is
// corrupt, and ImageMagick's GIF coder spends about 10 ns a pixel on it (its LZW
// decoder writes every index through the pixel cache).  giflib decodes them into one
// reused row instead, twice as fast, and keeps nothing (memory: one row).
//
// No ImageMagick: giflib only.  Thread-safe (no globals).
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>

namespace imghost::image {

struct GifFramesCheck {
  enum class Outcome { fine, corrupt, stopped };
  Outcome outcome = Outcome::fine;
  std::uint32_t frames = 0;  // image descriptors read, the first included
  std::string problem;       // for `corrupt`: "frame 2: truncated"
};

// Walks `gif` record by record as a browser does: the first frame's image data is
// skipped unread, every later frame's is decoded row by row and must hold all its rows;
// extensions are skipped.  As ImageMagick, a frame whose pixels name a colour past its
// colour table is refused.  The walk ends at the trailer, or at the end of the bytes or at
// a byte that starts no record, between records (ImageMagick and browsers stop there
// too).  A frame whose data is cut short or whose LZW codes are invalid is `corrupt`;
// so is a file that giflib cannot open as a GIF.  `keep_going` is asked before each
// frame and after every 64 rows; when it answers false the check stops (`stopped`).
// At most `max_frames` frames are read: the caller refuses more from the header.
GifFramesCheck check_gif_frames(std::string_view gif, std::uint32_t max_frames,
                                const std::function<bool()>& keep_going);

}  // namespace imghost::image
