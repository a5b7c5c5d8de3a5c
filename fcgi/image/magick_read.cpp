#include "image/magick_read.hpp"

#include <algorithm>
#include <array>
#include <optional>

#include "image/inspect.hpp"

namespace imghost::image::detail {

namespace {

using namespace MagickCore;

// find_png_bomb()'s default per-chunk cap: a chunk that passed it never needs more.
constexpr const char* kPngChunkMallocMax = "16777216";

struct ImageInfoDeleter {
  void operator()(ImageInfo* p) const noexcept { DestroyImageInfo(p); }
};
struct ExceptionInfoDeleter {
  void operator()(ExceptionInfo* p) const noexcept { DestroyExceptionInfo(p); }
};

// Called by the coders as they go; returning MagickFalse asks them to stop.  They do
// not all say they stopped (the JPEG coder just returns the rows it has, the GIF
// coder may return nothing), so read_forced() asks the Deadline afterwards.
MagickBooleanType on_progress(const char*, const MagickOffsetType, const MagickSizeType, void* deadline) {
  return static_cast<Deadline*>(deadline)->passed() ? MagickFalse : MagickTrue;
}

// Warnings that concern metadata only, for which browsers and Pillow show the image
// as it is.  Everything else a coder reports (every error, and warnings such as
// "Premature end of JPEG file" or "Corrupt JPEG data: bad Huffman code") means pixels
// are missing or made up.
struct Benign {
  ExceptionType severity;
  std::string_view prefix;
  std::string_view contains;
};
constexpr std::array<Benign, 2> kBenign{{
    // libjpeg: junk between the last scan and the EOI marker; every row was decoded.
    {CorruptImageWarning, "Corrupt JPEG data: ", "extraneous bytes before marker 0xd9"},
    // libjpeg: a JFIF version it does not know; the rest of the header parsed.
    {CorruptImageWarning, "Warning: unknown JFIF revision number", ""},
}};

// libpng names the chunk a warning is about ("iCCP: known incorrect sRGB profile").
// Chunks whose type starts with a lowercase letter are ancillary (colour profiles,
// text, gamma, timestamps...): a decoder may ignore them, and libpng drops a bad one.
// Critical chunks (IHDR, PLTE, IDAT, IEND) start with a capital.
bool is_ancillary_png_chunk_warning(std::string_view reason) {
  if (reason.size() < 6 || reason[4] != ':' || reason[5] != ' ') return false;
  if (reason[0] < 'a' || reason[0] > 'z') return false;
  return std::all_of(reason.begin(), reason.begin() + 4,
                     [](char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); });
}

// An exception's reason without what ImageMagick appends to it: " `<file name>'" and
// " @ <severity>/<source file>/<function>/<line>", which the client has no use for.
std::string_view bare_reason(const char* reason) {
  std::string_view r = reason ? reason : "";
  for (std::string_view cut : {" `", " @ "}) r = r.substr(0, r.find(cut));
  return r;
}

// The first result of `f(severity, reason)` that is not nullopt, over every exception
// thrown into `e` (each is in its list; the top-level fields repeat the most severe).
template <typename F>
auto first_of(const ExceptionInfo* e, F f) -> decltype(f(UndefinedException, "")) {
  auto* list = static_cast<LinkedListInfo*>(e->exceptions);
  const std::size_t n = list ? GetNumberOfElementsInLinkedList(list) : 0;
  for (std::size_t i = 0; i < n; ++i) {
    const auto* x = static_cast<const ExceptionInfo*>(GetValueFromLinkedList(list, i));
    if (auto p = f(x->severity, x->reason)) return p;
  }
  return f(e->severity, e->reason);
}

// The first thing in `e` that makes the image invalid, as a message; nullopt if none.
std::optional<std::string> first_problem(const ExceptionInfo* e) {
  return first_of(e, [](ExceptionType severity, const char* reason) -> std::optional<std::string> {
    if (severity == UndefinedException) return std::nullopt;
    const std::string_view r = bare_reason(reason);
    if (is_benign_warning(severity, r)) return std::nullopt;
    return std::string(r.empty() ? "unknown error" : r);
  });
}

// Whether ImageMagick ran out of a resource in `e`: a ResourceLimit exception (memory,
// "memory allocation failed"...) or a Cache one (the pixel cache could not be made or
// grown in memory, map or a temporary file: "cache resources exhausted").  The limits
// were checked from the header before the read, so this is the server's state, worth
// telling apart from a broken file.
bool ran_out_of_resources(const ExceptionInfo* e) {
  return first_of(e,
                  [](ExceptionType severity, const char*) -> std::optional<bool> {
                    switch (severity) {
                      case ResourceLimitWarning:
                      case ResourceLimitError:
                      case ResourceLimitFatalError:
                      case CacheWarning:
                      case CacheError:
                      case CacheFatalError: return true;
                      default: return std::nullopt;
                    }
                  })
      .has_value();
}

}  // namespace

bool is_benign_warning(ExceptionType severity, std::string_view reason) {
  if (severity >= ErrorException || severity < WarningException) return false;
  if (severity == CoderWarning && is_ancillary_png_chunk_warning(reason)) return true;
  return std::any_of(kBenign.begin(), kBenign.end(), [&](const Benign& b) {
    return severity == b.severity && reason.starts_with(b.prefix) &&
           (b.contains.empty() || reason.find(b.contains) != std::string_view::npos);
  });
}

ImageList read_forced(std::string_view bytes, Format format, const ReadOptions& options, Deadline& deadline) {
  const std::string coder(magick_coder(format));
  auto invalid = [&](const std::string& why) {
    return Rejection(Rejection::Reason::invalid_image,
                     i18n::msg("is not a valid {} image ({})", display_name(format), why));
  };

  std::unique_ptr<ImageInfo, ImageInfoDeleter> info(AcquireImageInfo());
  // Forcing the coder: with image_info->magick set, BlobToImage() skips format
  // detection and hands ReadImage() the name "<magick>:"; SetImageInfo() takes an
  // explicit "<magick>:" prefix as affirmed and then never looks at the magic bytes
  // (magick/blob.c BlobToImage, magick/image.c SetImageInfo in 6.9.11).  The test
  // "read_forced never re-detects the format" holds it to that.
  CopyMagickString(info->magick, coder.c_str(), MaxTextExtent);
  info->ping = options.ping ? MagickTrue : MagickFalse;
  if (options.max_frames > 0) {
    info->scene = 0;
    info->number_scenes = options.max_frames;
  }
  if (!options.jpeg_size.empty()) SetImageOption(info.get(), "jpeg:size", options.jpeg_size.c_str());
  // Caps what libpng allocates for one chunk's data, inflated or not (ancillary chunks;
  // never IDAT).  Measured (a breakpoint on png_set_chunk_malloc_max): 6.9.11 hands
  // libpng SIZE_MAX for any value >= 0, taking the minimum as signed numbers where
  // SIZE_MAX is -1.  So there this does nothing and libpng's chunks are bounded by
  // png_for_decoder() and find_png_bomb() alone; a fixed ImageMagick makes it a second
  // cap.  Without the option 6.9.11 passes GetMaxMemoryRequest(): unlimited unless the
  // policy sets max-memory-request, which would cap libjpeg's memory too (and refuse
  // large progressive JPEGs).
  if (format == Format::png) SetImageOption(info.get(), "png:chunk-malloc-max", kPngChunkMallocMax);
  SetImageInfoProgressMonitor(info.get(), on_progress, &deadline);

  std::unique_ptr<ExceptionInfo, ExceptionInfoDeleter> exception(AcquireExceptionInfo());
  ImageList list(BlobToImage(info.get(), bytes.data(), bytes.size(), exception.get()));
  // The monitor points at `deadline`, which dies with this call: unhook it before any
  // later operation on these images could call it.
  for (Image* p = list.get(); p; p = GetNextImageInList(p)) SetImageProgressMonitor(p, nullptr, nullptr);

  if (deadline.passed()) throw too_slow(deadline);
  if (ran_out_of_resources(exception.get())) throw out_of_resources();
  for (const Image* p = list.get(); p; p = GetNextImageInList(p))
    if (ran_out_of_resources(&p->exception)) throw out_of_resources();
  if (auto p = first_problem(exception.get())) throw invalid(*p);
  // Coders report most trouble into the image's own exception (6.9.11's JPEG coder
  // puts "Premature end of JPEG file" only there), so each frame is checked too.
  for (const Image* p = list.get(); p; p = GetNextImageInList(p))
    if (auto q = first_problem(&p->exception)) throw invalid(*q);
  // Nothing and no reason: 6.9.11's PNG coder loses libpng's error message this way.
  if (!list || list->columns == 0 || list->rows == 0) throw invalid("corrupt or truncated");
  return list;
}

Rejection too_slow(const Deadline& deadline) {
  return Rejection(Rejection::Reason::invalid_image,
                   i18n::msg("took too long to decode (over {} ms)", deadline.budget().count()));
}

Rejection out_of_resources() {
  return Rejection(Rejection::Reason::out_of_resources,
                   i18n::msg("could not be decoded: the server is short of memory for an image this large; try "
                             "again later"));
}

Header header_of(const MagickCore::Image* list, Format format) {
  Header h;
  for (const Image* p = list; p; p = GetNextImageInList(p)) {
    const auto w = static_cast<std::uint32_t>(std::min<std::size_t>(p->columns, UINT32_MAX));
    const auto r = static_cast<std::uint32_t>(std::min<std::size_t>(p->rows, UINT32_MAX));
    ++h.frames;
    h.max_frame_width = std::max(h.max_frame_width, w);
    h.max_frame_height = std::max(h.max_frame_height, r);
    h.frame_pixels += std::uint64_t{w} * r;
  }
  if (!list) return h;
  h.width = static_cast<std::uint32_t>(std::min<std::size_t>(list->columns, UINT32_MAX));
  h.height = static_cast<std::uint32_t>(std::min<std::size_t>(list->rows, UINT32_MAX));
  // A GIF's logical screen is what browsers show; PNG's page (oFFs, vpAg) is not.
  if (format == Format::gif && list->page.width > 0 && list->page.height > 0) {
    h.width = static_cast<std::uint32_t>(std::min<std::size_t>(list->page.width, UINT32_MAX));
    h.height = static_cast<std::uint32_t>(std::min<std::size_t>(list->page.height, UINT32_MAX));
  }
  return h;
}

}  // namespace imghost::image::detail
