// The per-host retry budget, on an injected clock.
#define BOOST_TEST_MODULE upstream_retry_budget
#include <boost/test/unit_test.hpp>

#include "upstream/retry_budget.hpp"

namespace up = blubridge::upstream;
using namespace std::chrono_literals;
using clock_type = up::retry_budget::clock;

namespace {

// A point on the injected clock, `offset` after an arbitrary start.
clock_type::time_point at(std::chrono::milliseconds offset) { return clock_type::time_point{} + 1000s + offset; }

up::retry_policy policy(unsigned percent, unsigned per_second) {
    up::retry_policy p;
    p.budget_percent = percent;
    p.min_retries_per_second = per_second;
    return p;
}

unsigned retries_granted(up::retry_budget& b, unsigned tries, clock_type::time_point now) {
    unsigned granted = 0;
    for (unsigned i = 0; i < tries; ++i) granted += b.try_retry(now) ? 1 : 0;
    return granted;
}

}  // namespace

BOOST_AUTO_TEST_CASE(the_floor_allows_three_retries_a_second_without_traffic) {
    up::retry_budget b(policy(20, 3));
    BOOST_TEST(retries_granted(b, 10, at(0ms)) == 3u);
    BOOST_TEST(!b.try_retry(at(999ms)));            // still within the same second
    BOOST_TEST(retries_granted(b, 10, at(1000ms)) == 3u);  // a second after the first three
}

BOOST_AUTO_TEST_CASE(the_floor_slides_with_each_retry) {
    up::retry_budget b(policy(0, 3));
    BOOST_TEST(b.try_retry(at(0ms)));
    BOOST_TEST(b.try_retry(at(400ms)));
    BOOST_TEST(b.try_retry(at(800ms)));
    BOOST_TEST(!b.try_retry(at(900ms)));
    BOOST_TEST(b.try_retry(at(1000ms)));   // the retry at 0 ms left the last second
    BOOST_TEST(!b.try_retry(at(1300ms)));  // 400, 800 and 1000 ms are within it
    BOOST_TEST(b.try_retry(at(1400ms)));
}

BOOST_AUTO_TEST_CASE(busy_traffic_earns_twenty_percent_extra) {
    up::retry_budget b(policy(20, 0));
    for (int i = 0; i < 100; ++i) b.on_request(at(std::chrono::milliseconds(i * 10)));
    BOOST_TEST(retries_granted(b, 50, at(1000ms)) == 20u);  // 20 % of 100
    b.on_request(at(1000ms));
    for (int i = 0; i < 4; ++i) b.on_request(at(1000ms));
    BOOST_TEST(retries_granted(b, 5, at(1000ms)) == 1u);  // 105 requests: 21 retries
}

BOOST_AUTO_TEST_CASE(the_percentage_and_the_floor_add_up_to_the_larger) {
    up::retry_budget b(policy(20, 3));
    for (int i = 0; i < 50; ++i) b.on_request(at(0ms));
    // 10 from the percentage; the floor counts those retries too, so adds nothing.
    BOOST_TEST(retries_granted(b, 30, at(0ms)) == 10u);
}

BOOST_AUTO_TEST_CASE(requests_leave_the_window_after_ten_seconds) {
    up::retry_budget b(policy(20, 0));
    for (int i = 0; i < 100; ++i) b.on_request(at(0ms));
    BOOST_TEST(retries_granted(b, 5, at(9000ms)) == 5u);   // still within the window
    BOOST_TEST(retries_granted(b, 30, at(10'000ms)) == 0u);  // the second of the requests left it
}

BOOST_AUTO_TEST_CASE(retries_leave_the_window_too) {
    up::retry_budget b(policy(20, 0));
    for (int s = 0; s < 20; ++s) {
        for (int i = 0; i < 10; ++i) b.on_request(at(std::chrono::seconds(s)));
    }
    // At 19 s the window holds seconds 10..19: 100 requests, so 20 retries.
    BOOST_TEST(retries_granted(b, 40, at(19'000ms)) == 20u);
    for (int i = 0; i < 10; ++i) b.on_request(at(20'000ms));
    // At 20 s second 10 left it (10 requests in, 10 out) and the 20 retries are still in.
    BOOST_TEST(retries_granted(b, 5, at(20'000ms)) == 0u);
    for (int i = 0; i < 10; ++i) b.on_request(at(29'000ms));
    // At 29 s: seconds 20..29 hold 20 requests and none of the retries: 4 allowed.
    BOOST_TEST(retries_granted(b, 10, at(29'000ms)) == 4u);
}

BOOST_AUTO_TEST_CASE(a_zero_budget_never_retries) {
    up::retry_budget b(policy(0, 0));
    for (int i = 0; i < 1000; ++i) b.on_request(at(0ms));
    BOOST_TEST(retries_granted(b, 5, at(5000ms)) == 0u);
}

BOOST_AUTO_TEST_CASE(a_shorter_window_is_honoured) {
    auto p = policy(50, 0);
    p.budget_window = 2s;
    up::retry_budget b(p);
    for (int i = 0; i < 10; ++i) b.on_request(at(0ms));
    BOOST_TEST(retries_granted(b, 10, at(1000ms)) == 5u);
    BOOST_TEST(retries_granted(b, 10, at(2000ms)) == 0u);
}
