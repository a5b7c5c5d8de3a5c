// metrics::prometheus_text() on a block filled here (no shared mapping, no worker).
#include <boost/test/unit_test.hpp>
#include <memory>
#include <string>

#include "metrics/metrics.hpp"
#include "metrics/prometheus_text.hpp"

namespace metrics = imghost::metrics;

BOOST_AUTO_TEST_SUITE(prometheus_text)

BOOST_AUTO_TEST_CASE(requests_are_labelled_by_the_route_of_their_index_or_none) {
  auto m = std::make_unique<metrics::Shared>();
  m->requests[0][metrics::status_slot(200)] = 2;
  m->requests[1][metrics::status_slot(404)] = 5;  // past the routes given: left out
  m->requests[metrics::kMaxRoutes - 1][metrics::status_slot(999)] = 3;
  const metrics::RouteLabels routes[] = {{"GET", "/i/{id}"}};
  const std::string text = metrics::prometheus_text(*m, routes);
  BOOST_TEST(text.starts_with("# HELP imghost_requests_total "));
  BOOST_TEST(text.find("imghost_requests_total{method=\"GET\",route=\"/i/{id}\",status=\"200\"} 2\n") !=
             std::string::npos);
  BOOST_TEST(text.find("imghost_requests_total{method=\"\",route=\"none\",status=\"other\"} 3\n") != std::string::npos);
  BOOST_TEST(text.find("status=\"404\"") == std::string::npos);
}

BOOST_AUTO_TEST_CASE(every_upload_outcome_is_a_sample_from_stored_to_internal) {
  auto m = std::make_unique<metrics::Shared>();
  m->uploads[1] = 7;  // ErrorCode 0
  const std::string text = metrics::prometheus_text(*m, {});
  BOOST_TEST(text.find("imghost_uploads_total{outcome=\"stored\"} 0\n") != std::string::npos);
  BOOST_TEST(text.find("imghost_uploads_total{outcome=\"bad_request\"} 7\n") != std::string::npos);
  BOOST_TEST(text.find("imghost_uploads_total{outcome=\"unavailable\"} 0\n") != std::string::npos);
  BOOST_TEST(text.find("imghost_uploads_total{outcome=\"internal\"} 0\n") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(histograms_are_cumulative_and_end_with_inf) {
  auto m = std::make_unique<metrics::Shared>();
  auto& h = m->histograms[static_cast<std::size_t>(metrics::Histogram::decode)];
  h.buckets[0] = 1;
  h.buckets[metrics::kBucketSlots - 1] = 2;
  h.count = 3;
  h.sum_ns = 1'500'000'000;
  const std::string text = metrics::prometheus_text(*m, {});
  BOOST_TEST(text.find("imghost_decode_seconds_bucket{le=\"0.0005\"} 1\n") != std::string::npos);
  BOOST_TEST(text.find("imghost_decode_seconds_bucket{le=\"10\"} 1\n") != std::string::npos);
  BOOST_TEST(text.find("imghost_decode_seconds_bucket{le=\"+Inf\"} 3\n") != std::string::npos);
  BOOST_TEST(text.find("imghost_decode_seconds_sum 1.500000000\n") != std::string::npos);
  BOOST_TEST(text.find("imghost_decode_seconds_count 3\n") != std::string::npos);
}

BOOST_AUTO_TEST_SUITE_END()
