// A number of bytes as people read it, in the request's language.  The flows' messages
// (a file over a limit) and the pages say sizes the same way.
#pragma once

#include <cstdint>
#include <string>

namespace imghost::units {

// "830 bytes", "12 KiB", "2.4 MiB", "1.5 GiB" ("2,4 МБ" in Russian): binary units, one
// decimal under 10, none above, and no ".0".
std::string human_size(std::uint64_t bytes);

}  // namespace imghost::units
