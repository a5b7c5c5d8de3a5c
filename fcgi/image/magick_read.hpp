// Reading a blob with ImageMagick under imghost's rules (internal to fcgi/image/):
// the coder is forced, a deadline is enforced through the progress monitor, and
// every warning the coder raised is looked at.
#pragma once

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

#include "domain/image_format.hpp"
#include "image/header.hpp"
#include "image/inspect.hpp"
#include "image/magick.hpp"

namespace imghost::image::detail {

// The time a read may take.  ImageMagick's `time` resource cannot be used (see
// configure_magick), so coders are asked to stop through their progress monitor, and a
// read that ends past the deadline is refused whatever it returned.  inspect() gives
// one Deadline to the header read (ping), its PNG image data check and the decode.
//
// Where 6.9.11's coders call the monitor, so where a read stops (measured; the test
// decode_time_is_bounded holds baseline JPEG and GIF to it, and PNG to the check below):
//   PNG   after every row, once the pixel cache is set up; an Adam7-interlaced PNG only
//         after each of its 7 passes (the last one is half the rows).  That stops
//         ImageMagick's conversion into the pixel cache, but libpng then still inflates
//         all the image data left (as it does past the last row).  So inspect() first
//         inflates the image data itself, asking this deadline every 64 KiB, and
//         refuses more than the pixels need (check_png_image_data): what libpng
//         inflates after a stop is at most the rest of the pixels, or 64 MiB for image
//         data under 64 KB, which inspect() leaves unchecked (png_image_data_bound).
//   JPEG  baseline: after every output row, libjpeg decoding the scan as rows go.
//         Progressive: libjpeg reads every scan before the first row.
//   GIF   after every frame; a frame's LZW data is decoded whole.  inspect() has it
//         decode the first frame only; check_gif_frames, which decodes the others,
//         asks the deadline every 64 rows.
//   WebP  only once libwebp has decoded the whole image (every row is reported while it
//         is copied out).
// What bounds the time where the monitor cannot is the limits checked from the header
// before (50 megapixels, 500 frames; the 5 MiB file): setting up the pixel cache
// (allocating and clearing width x height pixels, in a temporary file past the memory
// limit, twice over for a gray or palette PNG: 1 s for 7000x7000 gray here), libjpeg's
// progressive scans, libwebp's decode (whole reads of 7000x7000 took 1.2 s for a
// progressive JPEG, 1.7 s for a lossy and 2.7 s for a lossless WebP), one GIF frame, one
// Adam7 pass.  Before the image data, libpng reads only critical and rendering chunks
// (png_for_decoder), whose one compressed chunk, iCCP, is capped (find_png_bomb).
// Reducing the frame for the thumbnail, after the read, is one pass over its pixels.
// Once passed, it stays passed.
class Deadline {
 public:
  explicit Deadline(std::chrono::milliseconds budget)
      : budget_(budget), at_(std::chrono::steady_clock::now() + budget) {}
  bool passed() noexcept {
    if (!passed_ && std::chrono::steady_clock::now() >= at_) passed_ = true;
    return passed_;
  }
  std::chrono::milliseconds budget() const noexcept { return budget_; }

 private:
  std::chrono::milliseconds budget_;
  std::chrono::steady_clock::time_point at_;
  bool passed_ = false;
};

struct ImageListDeleter {
  void operator()(MagickCore::Image* list) const noexcept { MagickCore::DestroyImageList(list); }
};
// Owns a MagickCore image list (the first frame and every frame linked after it).
using ImageList = std::unique_ptr<MagickCore::Image, ImageListDeleter>;

struct ReadOptions {
  bool ping = false;           // headers only, no pixels (not WebP: 6.9.11 decodes anyway)
  std::size_t max_frames = 0;  // stop after this many frames; 0: all (GIF honours it)
  std::string jpeg_size;       // "WxH": let libjpeg decode at the smallest DCT scale
                               // that still gives at least W x H; "" for full size
};

// Reads `bytes` with the coder of `format` forced: ImageMagick is never asked what
// the bytes are, so no other coder (MVG, MSL, SVG, TEXT, ...) can run.  The returned
// list is non-empty and its images carry no progress monitor.
//
// Throws Rejection{out_of_resources} when the coder reports a ResourceLimit or Cache
// exception (out of memory, map or disk: "cache resources exhausted"...).  Throws
// Rejection{invalid_image} when the coder returns nothing, reports an error, or reports
// a warning other than a few that concern only metadata (a truncated JPEG is just a
// warning in ImageMagick 6, with the missing rows painted gray), or when `deadline`
// passes during the read ("took too long to decode").  6.9.11's PNG coder loses the
// reason of any failure after libpng started (libpng's errors, and its pixel cache
// failing to grow for a colormap): those are "corrupt or truncated".
ImageList read_forced(std::string_view bytes, Format format, const ReadOptions& options, Deadline& deadline);

// The Rejection for ImageMagick running out of memory, map or disk (see Rejection).
Rejection out_of_resources();

// The Rejection for a decode that `deadline` stopped or outlasted.
Rejection too_slow(const Deadline& deadline);

// The Header of a list returned by read_forced() (pinged or decoded).  For a GIF the
// canvas is the logical screen; for the other formats the first frame's size.
Header header_of(const MagickCore::Image* list, Format format);

// Whether an ImageMagick warning leaves the pixels intact (exposed for the tests).
bool is_benign_warning(MagickCore::ExceptionType severity, std::string_view reason);

}  // namespace imghost::image::detail
