#include "image/strip_metadata.hpp"

#include "image/strip/strip_formats.hpp"

namespace imghost::image {

std::string strip_metadata(std::string_view bytes, Format format) {
  std::optional<std::string> stripped;
  switch (format) {
    case Format::jpeg: stripped = strip::strip_jpeg(bytes); break;
    case Format::png: stripped = strip::strip_png(bytes); break;
    case Format::gif: stripped = strip::strip_gif(bytes); break;
    case Format::webp: stripped = strip::strip_webp(bytes); break;
    case Format::mp4:
    case Format::webm: break;  // a video's metadata goes in its remux (image/video.hpp)
  }
  return stripped ? std::move(*stripped) : std::string(bytes);
}

}  // namespace imghost::image
