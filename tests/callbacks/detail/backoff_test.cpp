#include <boost/test/unit_test.hpp>

#include "detail/backoff.hpp"

#include <climits>

using blubridge::callbacks::detail::retry_delay;
using namespace std::chrono_literals;

BOOST_AUTO_TEST_CASE(retry_delay_doubles_from_initial_up_to_max) {
    blubridge::config::callback_settings s;  // 1 s, doubling, at most 10 min
    BOOST_TEST(retry_delay(s, 0).count() == 1'000);
    BOOST_TEST(retry_delay(s, 1).count() == 2'000);
    BOOST_TEST(retry_delay(s, 2).count() == 4'000);
    BOOST_TEST(retry_delay(s, 9).count() == 512'000);
    BOOST_TEST(retry_delay(s, 10).count() == 600'000);  // 1024 s, capped
    BOOST_TEST(retry_delay(s, 1000).count() == 600'000);
    BOOST_TEST(retry_delay(s, UINT_MAX).count() == 600'000);

    s.retry_initial = 3s;
    s.retry_max = 3s;
    BOOST_TEST(retry_delay(s, 0).count() == 3'000);
    BOOST_TEST(retry_delay(s, 5).count() == 3'000);

    s.retry_initial = 1ms;
    s.retry_max = std::chrono::milliseconds::max();  // no overflow on the way
    BOOST_TEST(retry_delay(s, 10).count() == 1'024);
    BOOST_TEST(retry_delay(s, 200).count() > 0);
}
