// configure_magick(): ImageMagick's process-wide settings for a worker.
//
// The coder allow-list lives in fcgi/image/policy/policy.xml, which ImageMagick reads
// when it initializes from the folder named by MAGICK_CONFIGURE_PATH.  The supervisor
// (server/main.cpp) sets MAGICK_CONFIGURE_PATH=<Config::magick_policy_dir> before any
// worker starts: "fcgi/image/policy" in a checkout, the installed copy of that folder
// otherwise ($(PREFIX)/share/imghost/policy, see mk/install.mk).  It must be set before the first
// ImageMagick call in the process; configure_magick() refuses to run without it.
#include "image/magick_setup.hpp"

#include <mutex>
#include <stdexcept>
#include <string>

#include "base/allocator.hpp"
#include "image/magick.hpp"

namespace imghost::image {

namespace detail {

void ensure_magick_initialized() {
  static std::once_flag once;
  // Magick++'s InitializeMagick() calls MagickCoreGenesis(path, MagickFalse): no
  // signal handlers are installed, the worker keeps its own.
  std::call_once(once, [] { Magick::InitializeMagick(nullptr); });
}

}  // namespace detail

namespace {

bool authorized(const char* coder, MagickCore::PolicyRights rights,
                MagickCore::PolicyDomain domain = MagickCore::CoderPolicyDomain) {
  return MagickCore::IsRightsAuthorized(domain, rights, coder) != MagickCore::MagickFalse;
}

// Fails closed: a worker that would run with ImageMagick's stock policy (which lets
// MVG, MSL, SVG, TEXT through) must not start.
void require_policy() {
  static constexpr const char* kDenied[] = {"MVG", "MSL", "SVG", "TEXT", "EPHEMERAL", "URL", "HTTPS", "XC", "PDF"};
  for (const char* coder : kDenied)
    if (authorized(coder, MagickCore::ReadPolicyRights) ||
        authorized(coder, MagickCore::ReadPolicyRights, MagickCore::ModulePolicyDomain))
      throw std::runtime_error(std::string("ImageMagick policy not in force: coder ") + coder +
                               " is allowed; set MAGICK_CONFIGURE_PATH to the folder of imghost's "
                               "policy.xml (fcgi/image/policy) before ImageMagick initializes");
  static constexpr const char* kNeeded[] = {"JPEG", "PNG", "GIF", "WEBP"};
  for (const char* coder : kNeeded)
    if (!authorized(
            coder, static_cast<MagickCore::PolicyRights>(MagickCore::ReadPolicyRights | MagickCore::WritePolicyRights)))
      throw std::runtime_error(std::string("ImageMagick policy forbids reading or writing ") + coder);
}

}  // namespace

void configure_magick(const Limits& limits) {
  base::reuse_freed_memory();  // before ImageMagick's first big block
  detail::ensure_magick_initialized();
  require_policy();

  using RL = Magick::ResourceLimits;
  // Never RL::time(): in 6.9.11 its clock starts at the process's first image and,
  // once past, ImageMagick _exit()s the worker.  Decode time is bounded per read by
  // a progress monitor instead (magick_read.cpp).
  RL::thread(1);  // N workers already share the cores; also sets OpenMP's thread count
  RL::memory(limits.memory_bytes);
  RL::map(limits.memory_bytes);
  // Past memory and map, the pixel cache goes to a temporary file.  Allow just enough
  // for the largest image the limits admit: Q16 takes 8 bytes a pixel, and a PNG or GIF
  // with a palette (or gray) is first opened that way and then reopened with 2 more for
  // its colormap index while the first is still held (measured, 6.9.11: 392 MB then 490
  // MB more for a 7000x7000 gray PNG).  So a 50-megapixel PNG of any kind decodes but
  // nothing bigger spills.
  const MagickCore::MagickSizeType per_pixel = 2 * sizeof(MagickCore::PixelPacket) + sizeof(MagickCore::IndexPacket);
  RL::disk(static_cast<MagickCore::MagickSizeType>(limits.max_pixels) * per_pixel);
  RL::width(limits.max_width);
  RL::height(limits.max_height);
  RL::area(limits.max_pixels);
  // The GIF coder fails once a list reaches this length; inspect() counts one frame
  // past max_frames to tell "too many frames" apart, so leave room for two more.
  RL::listLength(MagickCore::MagickSizeType{limits.max_frames} + 2);
}

}  // namespace imghost::image
