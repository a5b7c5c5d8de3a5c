#include "image/gif_frames.hpp"

#include <gif_lib.h>

#include <algorithm>
#include <cstring>
#include <memory>
#include <vector>

namespace imghost::image {
namespace {

struct Source {
  std::string_view bytes;
  std::size_t at = 0;
  bool at_end() const { return at == bytes.size(); }
};

// giflib's input function: copies what is left, up to `len`; a short count is how giflib
// learns the file ended.
int read_source(GifFileType* gif, GifByteType* out, int len) {
  auto* src = static_cast<Source*>(gif->UserData);
  const std::size_t n = std::min(static_cast<std::size_t>(std::max(len, 0)), src->bytes.size() - src->at);
  std::memcpy(out, src->bytes.data() + src->at, n);
  src->at += n;
  return static_cast<int>(n);
}

struct GifCloser {
  void operator()(GifFileType* gif) const noexcept {
    int error = 0;
    DGifCloseFile(gif, &error);
  }
};

std::string giflib_error(int code) {
  if (code == D_GIF_ERR_READ_FAILED || code == D_GIF_ERR_EOF_TOO_SOON) return "truncated";
  const char* text = GifErrorString(code);
  return text ? text : "error " + std::to_string(code);
}

// How many colours the current frame's indexes may name, as ImageMagick counts them:
// its own table's, else the screen's; without a screen table, the size its packed byte
// still gives (ImageMagick refuses a larger index: "invalid colormap index").
int colour_count(const GifFileType& gif, std::string_view bytes) {
  if (gif.Image.ColorMap) return gif.Image.ColorMap->ColorCount;
  if (gif.SColorMap) return gif.SColorMap->ColorCount;
  return 2 << (static_cast<unsigned char>(bytes[10]) & 7);  // DGifOpen read these 13 bytes
}

}  // namespace

GifFramesCheck check_gif_frames(std::string_view bytes, std::uint32_t max_frames,
                                const std::function<bool()>& keep_going) {
  using Outcome = GifFramesCheck::Outcome;
  GifFramesCheck out;
  auto corrupt = [&](const std::string& problem) {
    out.outcome = Outcome::corrupt;
    out.problem = problem;
    return out;
  };
  Source src{bytes};
  int error = 0;
  std::unique_ptr<GifFileType, GifCloser> gif(DGifOpen(&src, read_source, &error));
  if (!gif) return corrupt(giflib_error(error));
  auto failed = [&](std::uint32_t frame) {
    return corrupt((frame ? "frame " + std::to_string(frame) + ": " : std::string()) + giflib_error(gif->Error));
  };

  std::vector<GifPixelType> row;
  while (out.frames < max_frames) {
    if (!keep_going()) {
      out.outcome = Outcome::stopped;
      return out;
    }
    // No trailer: the file ends between records, as many real GIFs do.
    if (src.at_end()) return out;
    GifRecordType type = UNDEFINED_RECORD_TYPE;
    if (DGifGetRecordType(gif.get(), &type) == GIF_ERROR) {
      // A byte that starts no record: browsers take it as the end of the animation.
      if (gif->Error == D_GIF_ERR_WRONG_RECORD) return out;
      return failed(0);
    }
    if (type == TERMINATE_RECORD_TYPE) return out;
    if (type == EXTENSION_RECORD_TYPE) {
      int code = 0;
      GifByteType* block = nullptr;
      if (DGifGetExtension(gif.get(), &code, &block) == GIF_ERROR) return failed(0);
      while (block)
        if (DGifGetExtensionNext(gif.get(), &block) == GIF_ERROR) return failed(0);
      continue;
    }
    if (type != IMAGE_DESC_RECORD_TYPE) return out;
    if (DGifGetImageDesc(gif.get()) == GIF_ERROR) return failed(out.frames + 1);
    const std::uint32_t frame = ++out.frames;
    const int width = gif->Image.Width, height = gif->Image.Height;
    if (frame == 1 || width <= 0 || height <= 0) {
      // The first frame is ImageMagick's to decode; a frame without pixels has nothing
      // to decode.  Its data blocks are skipped unread.
      int code_size = 0;
      GifByteType* block = nullptr;
      if (DGifGetCode(gif.get(), &code_size, &block) == GIF_ERROR) return failed(frame);
      while (block)
        if (DGifGetCodeNext(gif.get(), &block) == GIF_ERROR) return failed(frame);
      continue;
    }
    const int colours = colour_count(*gif, bytes);
    row.resize(static_cast<std::size_t>(width));
    for (int y = 0; y < height; ++y) {
      if (y % 64 == 63 && !keep_going()) {
        out.outcome = Outcome::stopped;
        return out;
      }
      if (DGifGetLine(gif.get(), row.data(), width) == GIF_ERROR) return failed(frame);
      if (*std::max_element(row.begin(), row.end()) >= colours)
        return corrupt("frame " + std::to_string(frame) + ": invalid colormap index");
    }
  }
  return out;
}

}  // namespace imghost::image
