#define BOOST_TEST_MODULE sandbox status_rules
#include <sandbox/status_rules.hpp>

#include <boost/test/unit_test.hpp>

using namespace blubridge::sandbox;

namespace {
billagain_time at(const char* s) { return *parse_billagain_time(s); }
subscription sub(const char* start) {
    subscription s;
    s.start_date = at(start);
    return s;
}
const auto now = at("2020-06-15T12:00:00+00:00");
}  // namespace

BOOST_AUTO_TEST_CASE(future_trial_active) {
    BOOST_TEST(to_string(compute_status(sub("2020-07-01"), now)) == "Future");
    auto s = sub("2020-06-01");
    BOOST_TEST(to_string(compute_status(s, now)) == "Active");
    s.trial_end_date = at("2020-06-30");
    BOOST_TEST(to_string(compute_status(s, now)) == "Trial");
    s.trial_end_date = at("2020-06-10");
    BOOST_TEST(to_string(compute_status(s, now)) == "Active");
}

BOOST_AUTO_TEST_CASE(expired_and_cancelled) {
    auto s = sub("2020-01-01");
    s.end_date = at("2020-06-15T12:00:00+00:00");  // ends exactly now: over
    BOOST_TEST(to_string(compute_status(s, now)) == "Expired");
    s.is_cancelled = true;
    BOOST_TEST(to_string(compute_status(s, now)) == "Cancelled");
    s.end_date = at("2020-07-01");  // cancelled at renewal: still running
    BOOST_TEST(to_string(compute_status(s, now)) == "Active");
    s.end_date.reset();
    BOOST_TEST(to_string(compute_status(s, now)) == "Cancelled");
}

BOOST_AUTO_TEST_CASE(what_counts_as_active) {
    BOOST_TEST(counts_as_active(subscription_status::active));
    BOOST_TEST(counts_as_active(subscription_status::trial));
    BOOST_TEST(counts_as_active(subscription_status::future));
    BOOST_TEST(!counts_as_active(subscription_status::cancelled));
    BOOST_TEST(!counts_as_active(subscription_status::expired));
}

BOOST_AUTO_TEST_CASE(customer_comp_status) {
    customer c;
    BOOST_TEST(customer_status(c) == "Active");
    c.is_suspended = true;
    BOOST_TEST(customer_status(c) == "Suspended");
    c.is_active = false;
    BOOST_TEST(customer_status(c) == "Archived");
}
