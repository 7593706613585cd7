// The per-host circuit breaker, on an injected clock.
#define BOOST_TEST_MODULE upstream_circuit_breaker
#include <boost/test/unit_test.hpp>

#include "upstream/circuit_breaker.hpp"

namespace up = blubridge::upstream;
using namespace std::chrono_literals;
using breaker = up::circuit_breaker;
using clock_type = breaker::clock;
using admission = breaker::admission;
using state = breaker::state;

namespace {

clock_type::time_point at(std::chrono::milliseconds offset) { return clock_type::time_point{} + 1000s + offset; }

up::breaker_policy policy(unsigned threshold, std::chrono::milliseconds open_for = 5s) {
    up::breaker_policy p;
    p.failure_threshold = threshold;
    p.open_interval = open_for;
    return p;
}

// `n` attempts admitted and failed at `now`.
void fail(breaker& b, unsigned n, clock_type::time_point now) {
    for (unsigned i = 0; i < n; ++i) {
        const auto a = b.admit(now);
        BOOST_TEST_REQUIRE((a == admission::admitted));
        b.record(a, false, now);
    }
}

}  // namespace

BOOST_AUTO_TEST_CASE(opens_after_the_threshold_of_consecutive_failures) {
    breaker b(policy(5));
    fail(b, 4, at(0ms));
    BOOST_TEST((b.current() == state::closed));
    BOOST_TEST(b.retry_after(at(0ms)).count() == 0);
    fail(b, 1, at(0ms));
    BOOST_TEST((b.current() == state::open));
    BOOST_TEST((b.admit(at(10ms)) == admission::refused));
    BOOST_TEST(b.retry_after(at(10ms)).count() == 5);    // 4.99 s rounded up
    BOOST_TEST(b.retry_after(at(4100ms)).count() == 1);  // 0.9 s rounded up
}

BOOST_AUTO_TEST_CASE(a_success_resets_the_count) {
    breaker b(policy(3));
    fail(b, 2, at(0ms));
    const auto a = b.admit(at(0ms));
    b.record(a, true, at(0ms));
    fail(b, 2, at(0ms));
    BOOST_TEST((b.current() == state::closed));
    fail(b, 1, at(0ms));
    BOOST_TEST((b.current() == state::open));
}

BOOST_AUTO_TEST_CASE(half_opens_for_one_probe_whose_success_closes_it) {
    breaker b(policy(2, 1s));
    fail(b, 2, at(0ms));
    BOOST_TEST((b.admit(at(999ms)) == admission::refused));
    const auto probe = b.admit(at(1000ms));
    BOOST_TEST((probe == admission::probe));
    BOOST_TEST((b.current() == state::half_open));
    BOOST_TEST((b.admit(at(1001ms)) == admission::refused));  // one probe at a time
    BOOST_TEST(b.retry_after(at(1001ms)).count() == 1);
    b.record(probe, true, at(1100ms));
    BOOST_TEST((b.current() == state::closed));
    BOOST_TEST((b.admit(at(1100ms)) == admission::admitted));
    BOOST_TEST(b.retry_after(at(1100ms)).count() == 0);
}

BOOST_AUTO_TEST_CASE(a_failed_probe_opens_it_for_another_interval) {
    breaker b(policy(2, 1s));
    fail(b, 2, at(0ms));
    const auto probe = b.admit(at(1500ms));
    BOOST_TEST_REQUIRE((probe == admission::probe));
    b.record(probe, false, at(1600ms));
    BOOST_TEST((b.current() == state::open));
    BOOST_TEST((b.admit(at(2599ms)) == admission::refused));  // counted from the probe's failure
    BOOST_TEST((b.admit(at(2600ms)) == admission::probe));
}

BOOST_AUTO_TEST_CASE(an_abandoned_probe_lets_the_next_attempt_probe) {
    breaker b(policy(1, 1s));
    fail(b, 1, at(0ms));
    const auto probe = b.admit(at(1000ms));
    BOOST_TEST_REQUIRE((probe == admission::probe));
    b.abandon(probe);
    BOOST_TEST((b.current() == state::half_open));
    BOOST_TEST((b.admit(at(1001ms)) == admission::probe));
}

BOOST_AUTO_TEST_CASE(outcomes_of_attempts_admitted_before_it_opened_are_ignored) {
    breaker b(policy(2, 1s));
    const auto early = b.admit(at(0ms));
    fail(b, 2, at(0ms));
    b.record(early, true, at(10ms));  // a slow success from before: does not close it
    BOOST_TEST((b.current() == state::open));
    const auto probe = b.admit(at(1000ms));
    const auto late = admission::admitted;
    b.record(late, false, at(1001ms));  // nor does a late failure reopen it
    BOOST_TEST((b.current() == state::half_open));
    b.record(probe, true, at(1002ms));
    BOOST_TEST((b.current() == state::closed));
}

BOOST_AUTO_TEST_CASE(a_zero_threshold_never_opens) {
    breaker b(policy(0));
    fail(b, 100, at(0ms));
    BOOST_TEST((b.current() == state::closed));
}
