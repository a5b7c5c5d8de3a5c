// The one Boost.Test module that every tests/unit/*_test.cpp joins.
#define BOOST_TEST_DYN_LINK
#define BOOST_TEST_MODULE imghost_unit
#include <boost/test/unit_test.hpp>
