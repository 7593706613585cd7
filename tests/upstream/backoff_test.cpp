// Full-jitter exponential back-off between retries.
#define BOOST_TEST_MODULE upstream_backoff
#include <boost/test/unit_test.hpp>

#include "upstream/backoff.hpp"

namespace up = blubridge::upstream;
using namespace std::chrono_literals;

BOOST_AUTO_TEST_CASE(the_ceiling_doubles_up_to_the_cap) {
    up::retry_policy p;  // 25 ms base, 250 ms cap
    const double almost_one = 0.999999;
    BOOST_TEST(up::backoff_delay(p, 1, almost_one).count() == 24);
    BOOST_TEST(up::backoff_delay(p, 2, almost_one).count() == 49);
    BOOST_TEST(up::backoff_delay(p, 3, almost_one).count() == 99);
    BOOST_TEST(up::backoff_delay(p, 4, almost_one).count() == 199);
    BOOST_TEST(up::backoff_delay(p, 5, almost_one).count() == 249);
    BOOST_TEST(up::backoff_delay(p, 60, almost_one).count() == 249);  // no overflow
}

BOOST_AUTO_TEST_CASE(the_wait_is_the_random_fraction_of_the_ceiling) {
    up::retry_policy p;
    p.backoff_base = 100ms;
    p.backoff_max = 1s;
    BOOST_TEST(up::backoff_delay(p, 1, 0.0).count() == 0);
    BOOST_TEST(up::backoff_delay(p, 1, 0.5).count() == 50);
    BOOST_TEST(up::backoff_delay(p, 3, 0.25).count() == 100);
}

BOOST_AUTO_TEST_CASE(jittered_waits_spread_over_the_range) {
    up::retry_policy p;
    p.backoff_base = 1000ms;
    p.backoff_max = 1000ms;
    std::chrono::milliseconds low = 1000ms, high = 0ms;
    for (int i = 0; i < 200; ++i) {
        const auto d = up::jittered_backoff(p, 1);
        BOOST_TEST_REQUIRE((d >= 0ms && d < 1000ms));
        low = std::min(low, d);
        high = std::max(high, d);
    }
    // 200 uniform draws: both ends of the range are reached (the chance of missing is ~1e-20).
    BOOST_TEST(low.count() < 200);
    BOOST_TEST(high.count() > 800);
}
