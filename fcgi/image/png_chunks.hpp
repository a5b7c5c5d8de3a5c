// PNG chunks that a viewer inflates: which ones a decoder needs, and whether a
// compressed one is a decompression bomb.
//
// iCCP, zTXt and iTXt (with its compression flag set) hold zlib streams: 1 MB of them can
// inflate to 1 GiB inside libpng (or a browser) before any pixel limit applies, and
// 6.9.11's PNG coder lets libpng allocate whatever a chunk inflates to.  So the decoder is
// only ever given the chunks that make pixels (png_for_decoder), and every compressed
// chunk that is decoded or stored is first inflated here under a hard cap
// (find_png_bomb), counting the output and throwing it away.  The image data itself is
// bounded by the pixels: check_png_image_data.
//
// Pure: no I/O, no globals, no ImageMagick (zlib only).  Thread-safe.
#pragma once

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>

namespace imghost::image {

// Whether an ancillary chunk type changes what a viewer shows: colour (gAMA, cHRM, sRGB,
// iCCP, cICP, mDCv, cLLi, sBIT), transparency (tRNS), density (pHYs), background (bKGD),
// animation (acTL, fcTL, fdAT).  strip_metadata() keeps exactly these ancillary chunks.
bool is_png_rendering_chunk(std::string_view type);

// The PNG that gives the decoder the pixels of `png` and nothing else: the signature, every
// critical chunk (IHDR, PLTE, IDAT, IEND, and unknown critical ones, which libpng refuses
// itself) and the rendering chunks above, copied whole (CRC included) in their order.
// Text (tEXt, zTXt, iTXt), time, eXIf and private chunks are left out, so libpng never
// inflates a text chunk.  Ends with IEND; bytes after it are left out.  Where the chunk
// structure breaks (a length past the end, a type that is not four letters), it ends
// there: the decoder then finds the file truncated, and refuses it as it would have.
// Returns `png` unchanged if it does not start with the PNG signature.  Idempotent.
// Never throws but std::bad_alloc.
std::string png_for_decoder(std::string_view png);

// How much find_png_bomb() may inflate.  The output is counted and discarded, so memory
// stays at a few KiB whatever the caps; they bound the time (zlib inflates a bomb's
// zeros at about 1 GB/s here, so the defaults cost at most about 0.1 s).
struct InflateCaps {
  std::uint64_t per_chunk = 16u << 20;  // the largest real ICC profiles are a few MB
  std::uint64_t per_file = 64u << 20;   // all compressed chunks of one file together
};

// Inflates every zlib stream of `png` that a viewer would inflate: the iCCP profile, the
// zTXt text and the iTXt text whose compression flag is set, whatever their compression
// method byte or CRC say.  Returns, for the first that is a bomb, a message for the
// client ("has an iCCP chunk that inflates to over 16 MiB (a decompression bomb)"):
// a chunk that inflates to more than caps.per_chunk, an iCCP profile whose own header
// claims more than caps.per_chunk (libpng allocates what that header claims), or chunks
// that together inflate to more than caps.per_file.  nullopt when there is none.
//
// A stream that is corrupt or cut short is not a bomb: it is counted up to where it
// breaks.  Chunks are walked as png_for_decoder() walks them, up to IEND or to where the
// structure breaks; a chunk whose stream cannot be located (no keyword terminator) holds
// nothing a viewer can inflate.  Time: at most what inflating caps.per_file costs, plus
// one pass over `png`.  Never throws but std::bad_alloc.
std::optional<std::string> find_png_bomb(std::string_view png, const InflateCaps& caps = {});

// How many bytes the image data (IDAT) of `png` inflates to when it holds exactly what
// its IHDR describes: a filter byte and the packed samples of every row, of every Adam7
// pass when interlaced.  nullopt when there is no IHDR first or its fields are not a
// valid PNG combination (libpng refuses those itself).
std::optional<std::uint64_t> png_image_data_size(std::string_view png);

// The most the image data (IDAT) of `png` can inflate to, whatever its bytes: deflate
// codes at best a 258-byte match in 2 bits, so 1032 bytes for each byte of the chunks.
// Walks the chunks as png_for_decoder() does.  0 when there is no image data.
std::uint64_t png_image_data_bound(std::string_view png);

// Whether the image data of `png` inflates to more than `expected` bytes.  libpng
// inflates all of it, also past the last row (to report "too much image data") and after
// a decode was stopped, where no deadline can interrupt it: a 5 MiB file whose image
// data runs on to 5 GiB took 13 s and was refused only then.  This inflates the IDAT
// chunks in order, as one stream, and stops one byte past `expected`; the output is
// counted and discarded (memory: a few KiB).  `keep_going` is asked about every 64 KiB
// of input or output; when it answers false the check stops.  A stream that is corrupt,
// or ends or runs out before `expected`, fits: the decoder refuses it.
enum class ImageDataCheck { fits, too_much, stopped };
ImageDataCheck check_png_image_data(std::string_view png, std::uint64_t expected,
                                    const std::function<bool()>& keep_going);

}  // namespace imghost::image
