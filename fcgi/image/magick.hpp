// The one way imghost includes ImageMagick (internal to fcgi/image/).
//
// Magick++ 6.9.11's headers do not compile cleanly under the project's warning flags
// (-Wconversion in pixel-accessor.h, -Wignored-qualifiers in memory_.h), so they are
// included here with exactly those warnings silenced, and every file of the module
// includes this header instead of <Magick++.h>.  The public headers (sniff.hpp,
// inspect.hpp, thumbnail.hpp, magick_setup.hpp) never include it.
#pragma once

#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wconversion"
#pragma GCC diagnostic ignored "-Wsign-conversion"
#pragma GCC diagnostic ignored "-Wignored-qualifiers"
#include <Magick++.h>
#pragma GCC diagnostic pop

namespace imghost::image::detail {

// Initializes ImageMagick once per process (without its signal handlers).  Called by
// configure_magick() and, defensively, by inspect(); cheap after the first call.
void ensure_magick_initialized();

}  // namespace imghost::image::detail
