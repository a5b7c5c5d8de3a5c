// Format detection from magic bytes only.  Pure, thread-safe.
#pragma once

#include <optional>
#include <string_view>

#include "domain/image_format.hpp"

namespace imghost::image {

// The format whose signature starts `bytes`, or nullopt.  Names and declared
// content types are never consulted.  JPEG: FF D8 FF; PNG: the 8-byte signature;
// GIF: "GIF87a"/"GIF89a"; WebP: "RIFF" <4 bytes> "WEBP".
// Videos, by their container only (image/video.hpp decides the rest): mp4 for an ISO
// BMFF file (MP4, QuickTime MOV) whose first box is `ftyp` with a video brand (not the
// still-image brands of HEIF and AVIF); webm for an EBML header (WebM, Matroska).
std::optional<Format> sniff(std::string_view bytes);

}  // namespace imghost::image
