// The one Boost.Test module that every tests/integration/*_test.cpp joins.  Run from the
// checkout's root (make check does): sql/, scripts/stack and fcgi/image/policy are
// found from there.
#define BOOST_TEST_DYN_LINK
#define BOOST_TEST_MODULE imghost_integration
#include <boost/test/unit_test.hpp>

#include <cstdlib>
#include <filesystem>

namespace {

// ImageMagick reads its policy when it initializes: the workers' own, one thread.
struct MagickEnvironment {
  MagickEnvironment() {
    setenv("MAGICK_CONFIGURE_PATH", std::filesystem::absolute("fcgi/image/policy").c_str(), 0);
    setenv("OMP_NUM_THREADS", "1", 1);
  }
};

}  // namespace

BOOST_TEST_GLOBAL_FIXTURE(MagickEnvironment);
