// Lossless removal of privacy-sensitive metadata (GPS, camera, author, comments) from an
// original before it is stored.
//
// Works on the container only: segments, chunks and blocks are dropped or copied whole,
// and the compressed image data is copied byte for byte, so the pixels a decoder produces
// are exactly the uploaded ones (the upload contract: metadata may go, pixels never change).  What is kept is what
// changes how the pixels are shown: colour (ICC profiles, JFIF, Adobe APP14, PNG gAMA/cHRM/
// sRGB/cICP...), transparency, animation, and the EXIF Orientation, which is re-written as
// a minimal EXIF block holding only that tag.
//
// Pure: no I/O, no globals, no ImageMagick.  Thread-safe.
#pragma once

#include <string>
#include <string_view>

#include "domain/image_format.hpp"

namespace imghost::image {

// Returns `bytes` with privacy-sensitive metadata removed; the compressed image data is
// copied byte for byte.  Per format:
//   JPEG  walks every segment to the first EOI.  Before the first SOS: keeps APP0 "JFIF"
//         (with any embedded thumbnail removed), APP2 "ICC_PROFILE", APP14 "Adobe" and
//         every non-APP segment; drops every other APPn (EXIF, XMP, extended XMP, MPF,
//         Photoshop/IPTC, ...) and COM.  From the first SOS on: drops every APPn, those
//         three kinds and EXIF included (decoders and browsers read them from the header
//         only, so only a header EXIF gives the orientation below), and COM; copies
//         every other segment (SOS, DHT, DQT, DRI, DNL, ...), all entropy-coded data
//         (with its 0xFF00 stuffing and RST markers) and EOI byte for byte.  Drops
//         everything after EOI (e.g. MPF secondary images, which carry their own EXIF).
//         If the structure stops making sense once the first SOS segment has been read
//         (the input ends inside a segment, a byte that is not a marker where one
//         belongs, a second SOI, ...), the output ends there: what was kept up to that
//         point, its image data byte for byte, and nothing after it, since what follows
//         could be metadata.  An input that ends inside entropy-coded data (a truncated
//         scan) keeps all of it; one that just ends, without EOI, keeps all it had.
//         Before the first SOS segment, the rule below applies.
//   PNG   keeps critical chunks and the ancillary ones that affect rendering (tRNS, gAMA,
//         cHRM, sRGB, iCCP, sBIT, pHYs, bKGD, cICP, mDCv, cLLi, acTL, fcTL, fdAT); drops
//         every other ancillary chunk (tEXt, zTXt, iTXt, tIME, eXIf, unknown ones).  From
//         IEND on, the file is copied verbatim.
//   WebP  drops the "EXIF" and "XMP " chunks, clears the matching VP8X flags and fixes the
//         RIFF size; bytes after the RIFF size are copied verbatim.
//   GIF   drops Comment Extensions and Application Extensions other than NETSCAPE2.0 /
//         ANIMEXTS1.0 (looping) and ICCRGBG1012 (colour); from the trailer on, verbatim.
// For JPEG, PNG (eXIf) and WebP, the first EXIF block's IFD0 Orientation, if it is 2..8,
// survives as a minimal EXIF block in the same place: that one tag, the same byte order
// and, in PNG and WebP, the same non-standard "Exif\0\0" prefix if the original had one.
//
// Never throws on malformed input (only std::bad_alloc): when the structure is not
// understood (wrong magic, a length that runs past the end, a truncated header, ...) it
// returns `bytes` unchanged (a JPEG only before its first scan, see above).  The caller
// is expected to have validated the image by decoding it, so that only happens for files
// a decoder accepts leniently.
// Idempotent: strip_metadata(strip_metadata(b, f), f) == strip_metadata(b, f).  The
// result is at most 4 bytes longer than `bytes` (a tiny EXIF block can grow to the
// minimal one).
std::string strip_metadata(std::string_view bytes, Format format);

}  // namespace imghost::image
