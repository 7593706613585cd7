#define BOOST_TEST_MODULE auth_failure_limiter
#include <boost/test/unit_test.hpp>

#include <blubridge/auth/failure_limiter.hpp>

#include <atomic>
#include <optional>
#include <thread>
#include <string>
#include <vector>

namespace auth = blubridge::auth;
using namespace std::chrono_literals;
using boost::asio::ip::make_address;

namespace {

// Each call a different set of credentials (fingerprints as the authenticator gives them).
std::uint64_t another_guess() {
    static std::atomic<std::uint64_t> next{1};
    return next++;
}

// A clock the test moves by hand: no test here sleeps.
struct manual_clock {
    auth::failure_limiter::clock_type::time_point now{std::chrono::hours(1)};
    auth::failure_limiter::clock_function function() {
        return [this] { return now; };
    }
};

auth::failure_policy small_policy() {
    auth::failure_policy p;
    p.failures_before_delay = 3;
    p.failure_window = 60s;
    p.lockout = 10s;
    p.max_lockout = 80s;
    p.max_tracked = 1000;
    return p;
}

struct fixture {
    manual_clock clock;
    auth::failure_limiter limiter{small_policy(), clock.function()};

    // One attempt from `address` that fails; false if it was refused instead.
    bool fail(const std::string& address) {
        auto a = limiter.begin(make_address(address), another_guess());
        if (!a.admitted()) return false;
        a.failed();
        return true;
    }
    bool succeed(const std::string& address) {
        auto a = limiter.begin(make_address(address), another_guess());
        if (!a.admitted()) return false;
        a.succeeded();
        return true;
    }
    bool admitted(const std::string& address) { return limiter.begin(make_address(address), another_guess()).admitted(); }
    std::chrono::seconds retry_after(const std::string& address) {
        return limiter.begin(make_address(address), another_guess()).retry_after();
    }
};

}  // namespace

BOOST_FIXTURE_TEST_CASE(the_allowed_failures_pass_then_the_address_is_refused, fixture) {
    BOOST_TEST(fail("192.0.2.1"));
    BOOST_TEST(fail("192.0.2.1"));
    BOOST_TEST(fail("192.0.2.1"));  // the third: now locked
    auto refused = limiter.begin(make_address("192.0.2.1"), another_guess());
    BOOST_TEST(!refused.admitted());
    BOOST_TEST(refused.retry_after() == 10s);
    // The right password is refused too: the lockout is checked before any credential.
    BOOST_TEST(!succeed("192.0.2.1"));
    // Another address is not affected.
    BOOST_TEST(admitted("192.0.2.2"));
}

BOOST_FIXTURE_TEST_CASE(retry_after_counts_down_in_whole_seconds, fixture) {
    for (int i = 0; i < 3; ++i) BOOST_TEST(fail("192.0.2.1"));
    clock.now += 2500ms;
    BOOST_TEST(retry_after("192.0.2.1") == 8s);  // 7.5 s left, rounded up
    clock.now += 7499ms;
    BOOST_TEST(retry_after("192.0.2.1") == 1s);  // 1 ms left: never "0"
    clock.now += 1ms;
    BOOST_TEST(admitted("192.0.2.1"));
}

BOOST_FIXTURE_TEST_CASE(failures_older_than_the_window_are_not_counted, fixture) {
    BOOST_TEST(fail("192.0.2.1"));
    BOOST_TEST(fail("192.0.2.1"));
    clock.now += 60s;  // the window, counted from the first failure, is over
    BOOST_TEST(fail("192.0.2.1"));
    BOOST_TEST(fail("192.0.2.1"));
    BOOST_TEST(admitted("192.0.2.1"));  // two in this window
    BOOST_TEST(fail("192.0.2.1"));
    BOOST_TEST(!admitted("192.0.2.1"));
}

BOOST_FIXTURE_TEST_CASE(each_failure_after_a_lockout_doubles_it_up_to_the_cap, fixture) {
    for (int i = 0; i < 3; ++i) BOOST_TEST(fail("192.0.2.1"));
    std::vector<std::chrono::seconds> lockouts{retry_after("192.0.2.1")};
    for (int i = 0; i < 5; ++i) {
        clock.now += lockouts.back();
        BOOST_TEST_REQUIRE(fail("192.0.2.1"));  // one try after each lockout, and it fails
        lockouts.push_back(retry_after("192.0.2.1"));
    }
    const std::vector<std::chrono::seconds> expected{10s, 20s, 40s, 80s, 80s, 80s};
    BOOST_TEST(lockouts == expected, boost::test_tools::per_element());
}

BOOST_FIXTURE_TEST_CASE(a_locked_out_address_is_forgotten_after_max_lockout, fixture) {
    for (int i = 0; i < 3; ++i) BOOST_TEST(fail("192.0.2.1"));
    clock.now += 10s;
    BOOST_TEST(fail("192.0.2.1"));  // 20 s now
    clock.now += 20s + 79s;
    BOOST_TEST(fail("192.0.2.1"));  // still remembered: locks again, for 40 s
    BOOST_TEST(retry_after("192.0.2.1") == 40s);
    clock.now += 40s + 80s;  // quiet for max_lockout after the lockout: a fresh start
    BOOST_TEST(fail("192.0.2.1"));
    BOOST_TEST(fail("192.0.2.1"));
    BOOST_TEST(admitted("192.0.2.1"));
}

BOOST_FIXTURE_TEST_CASE(a_success_resets_the_address, fixture) {
    BOOST_TEST(fail("192.0.2.1"));
    BOOST_TEST(fail("192.0.2.1"));
    BOOST_TEST(succeed("192.0.2.1"));
    BOOST_TEST(limiter.tracked() == 0u);
    BOOST_TEST(fail("192.0.2.1"));
    BOOST_TEST(fail("192.0.2.1"));
    BOOST_TEST(admitted("192.0.2.1"));

    // After a lockout too: the escalation starts again from the first lockout.
    BOOST_TEST(fail("192.0.2.1"));
    clock.now += 10s;
    BOOST_TEST(succeed("192.0.2.1"));
    for (int i = 0; i < 3; ++i) BOOST_TEST(fail("192.0.2.1"));
    BOOST_TEST(retry_after("192.0.2.1") == 10s);
}

BOOST_FIXTURE_TEST_CASE(attempts_in_flight_count_against_the_allowance, fixture) {
    // Three guesses checked in parallel: a fourth may not start before they report.
    std::vector<auth::failure_limiter::attempt> pending;
    for (int i = 0; i < 3; ++i) {
        pending.push_back(limiter.begin(make_address("192.0.2.1"), another_guess()));
        BOOST_TEST(pending.back().admitted());
    }
    auto fourth = limiter.begin(make_address("192.0.2.1"), another_guess());
    BOOST_TEST(!fourth.admitted());
    BOOST_TEST(fourth.retry_after() == 1s);
    for (auto& a : pending) a.failed();
    BOOST_TEST(retry_after("192.0.2.1") == 10s);

    // After a lockout, one attempt at a time.
    clock.now += 10s;
    auto one = limiter.begin(make_address("192.0.2.1"), another_guess());
    BOOST_TEST(one.admitted());
    BOOST_TEST(!admitted("192.0.2.1"));
}

BOOST_FIXTURE_TEST_CASE(parallel_attempts_with_the_same_credentials_are_one_guess, fixture) {
    // A client opening many connections at once with its right password: all are checked,
    // none refused, although more than the allowance are in flight.
    constexpr std::uint64_t right = 0x1234;
    std::vector<auth::failure_limiter::attempt> logins;
    for (int i = 0; i < 20; ++i) {
        logins.push_back(limiter.begin(make_address("192.0.2.1"), right));
        BOOST_TEST_REQUIRE(logins.back().admitted());
    }
    // Another guess still gets only what is left of the allowance (3 less the one in flight).
    auto other = limiter.begin(make_address("192.0.2.1"), another_guess());
    auto third = limiter.begin(make_address("192.0.2.1"), another_guess());
    BOOST_TEST(other.admitted());
    BOOST_TEST(third.admitted());
    BOOST_TEST(!admitted("192.0.2.1"));
    for (auto& a : logins) a.succeeded();
}

BOOST_FIXTURE_TEST_CASE(a_wrong_password_sent_in_parallel_is_one_failure, fixture) {
    constexpr std::uint64_t wrong = 0x5678;
    std::vector<auth::failure_limiter::attempt> same;
    for (int i = 0; i < 10; ++i) same.push_back(limiter.begin(make_address("192.0.2.1"), wrong));
    for (auto& a : same) {
        BOOST_TEST_REQUIRE(a.admitted());
        a.failed();
    }
    // One failure of the three allowed: two more distinct guesses, then the lockout.
    BOOST_TEST(fail("192.0.2.1"));
    BOOST_TEST(admitted("192.0.2.1"));
    BOOST_TEST(fail("192.0.2.1"));
    BOOST_TEST(retry_after("192.0.2.1") == 10s);
}

BOOST_FIXTURE_TEST_CASE(the_same_wrong_password_again_later_is_another_failure, fixture) {
    // Only attempts in flight together share a guess: resending one later counts again.
    constexpr std::uint64_t wrong = 0x9abc;
    for (int i = 0; i < 3; ++i) {
        auto a = limiter.begin(make_address("192.0.2.1"), wrong);
        BOOST_TEST_REQUIRE(a.admitted());
        a.failed();
    }
    BOOST_TEST(retry_after("192.0.2.1") == 10s);
}

BOOST_FIXTURE_TEST_CASE(an_unreported_attempt_counts_as_nothing, fixture) {
    for (int i = 0; i < 10; ++i) {
        auto a = limiter.begin(make_address("192.0.2.1"), another_guess());  // e.g. no credentials given
        BOOST_TEST(a.admitted());
    }
    BOOST_TEST(fail("192.0.2.1"));
    BOOST_TEST(fail("192.0.2.1"));
    BOOST_TEST(admitted("192.0.2.1"));
}

BOOST_FIXTURE_TEST_CASE(an_ipv6_slash_64_is_one_client, fixture) {
    BOOST_TEST(fail("2001:db8:1:2::1"));
    BOOST_TEST(fail("2001:db8:1:2:aaaa:bbbb:cccc:dddd"));
    BOOST_TEST(fail("2001:db8:1:2:ffff:ffff:ffff:ffff"));
    BOOST_TEST(!admitted("2001:db8:1:2::99"));
    BOOST_TEST(!admitted("2001:db8:1:2::"));
    BOOST_TEST(admitted("2001:db8:1:3::1"));  // the next /64
}

BOOST_FIXTURE_TEST_CASE(an_ipv4_mapped_address_is_its_ipv4_client, fixture) {
    BOOST_TEST(fail("192.0.2.7"));
    BOOST_TEST(fail("::ffff:192.0.2.7"));
    BOOST_TEST(fail("192.0.2.7"));
    BOOST_TEST(!admitted("::ffff:192.0.2.7"));
    // An IPv6 /64 whose prefix has the same bits as an IPv4 address is another client.
    BOOST_TEST(admitted("0:0:c000:207::1"));
}

BOOST_AUTO_TEST_CASE(tracked_addresses_are_capped_the_least_recently_active_forgotten) {
    manual_clock clock;
    auto policy = small_policy();
    policy.max_tracked = 100;
    auth::failure_limiter limiter(policy, clock.function());
    const auto fail = [&](const std::string& address) {
        auto a = limiter.begin(make_address(address), another_guess());
        BOOST_TEST_REQUIRE(a.admitted());
        a.failed();
    };
    for (int i = 0; i < 3; ++i) fail("10.0.0.1");  // locked, and the oldest entry
    BOOST_TEST(!limiter.begin(make_address("10.0.0.1"), another_guess()).admitted());
    for (int i = 0; i < 100; ++i) fail("10.1.0." + std::to_string(i));
    BOOST_TEST(limiter.tracked() == 100u);
    // 10.0.0.1 was the least recently active: forgotten to make room, so admitted again.
    BOOST_TEST(limiter.begin(make_address("10.0.0.1"), another_guess()).admitted());
    BOOST_TEST(limiter.tracked() <= 100u);
}

// quiet() is what lets a request with remembered-good credentials skip the attempt: it must
// be false while anything is held against the address, and true again once a success resets it.
BOOST_FIXTURE_TEST_CASE(an_address_is_quiet_only_while_nothing_is_held_against_it, fixture) {
    BOOST_TEST(limiter.quiet(make_address("192.0.2.7")));
    {
        auto in_flight = limiter.begin(make_address("192.0.2.7"), another_guess());
        BOOST_TEST_REQUIRE(in_flight.admitted());
        BOOST_TEST(!limiter.quiet(make_address("192.0.2.7")));  // a check still running
    }
    BOOST_TEST(fail("192.0.2.7"));
    BOOST_TEST(!limiter.quiet(make_address("192.0.2.7")));  // one failure counted
    BOOST_TEST(limiter.quiet(make_address("192.0.2.8")));   // another address is not touched
    BOOST_TEST(succeed("192.0.2.7"));
    BOOST_TEST(limiter.quiet(make_address("192.0.2.7")));  // a success resets it
    for (int i = 0; i < 3; ++i) BOOST_TEST(fail("192.0.2.7"));
    BOOST_TEST(!limiter.quiet(make_address("192.0.2.7")));  // locked out
    // An IPv6 address counts with its /64, for quiet() as for begin().
    BOOST_TEST(fail("2001:db8::1"));
    BOOST_TEST(!limiter.quiet(make_address("2001:db8::2")));
    BOOST_TEST(limiter.quiet(make_address("2001:db8:0:1::1")));
}

BOOST_AUTO_TEST_CASE(stale_addresses_are_forgotten_without_being_asked_about) {
    manual_clock clock;
    auth::failure_limiter limiter(small_policy(), clock.function());
    for (int i = 0; i < 50; ++i) {
        auto a = limiter.begin(make_address("10.2.0." + std::to_string(i)), another_guess());
        a.failed();
    }
    BOOST_TEST(limiter.tracked() == 50u);
    clock.now += 61s;
    // Each call forgets a few stale entries: the memory follows the addresses still failing.
    for (int i = 0; i < 50; ++i) (void)limiter.begin(make_address("10.3.0.1"), another_guess()).admitted();
    BOOST_TEST(limiter.tracked() <= 1u);
}

BOOST_AUTO_TEST_CASE(zero_failures_before_delay_turns_the_limiter_off) {
    auto policy = small_policy();
    policy.failures_before_delay = 0;
    auth::failure_limiter limiter(policy);
    for (int i = 0; i < 100; ++i) {
        auto a = limiter.begin(make_address("192.0.2.1"), another_guess());
        BOOST_TEST_REQUIRE(a.admitted());
        a.failed();
    }
    BOOST_TEST(limiter.tracked() == 0u);
}

BOOST_AUTO_TEST_CASE(parallel_guesses_get_no_more_checks_than_the_allowance) {
    manual_clock clock;  // never moves: the lockout, once reached, lasts
    auto policy = small_policy();
    policy.failures_before_delay = 50;
    auth::failure_limiter limiter(policy, clock.function());
    std::atomic<unsigned> checked{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < 4; ++t) {
        threads.emplace_back([&] {
            for (int i = 0; i < 1000; ++i) {
                auto a = limiter.begin(make_address("192.0.2.1"), another_guess());
                if (!a.admitted()) continue;
                ++checked;
                a.failed();
            }
        });
    }
    for (auto& t : threads) t.join();
    BOOST_TEST(checked.load() == 50u);
    BOOST_TEST(!limiter.begin(make_address("192.0.2.1"), another_guess()).admitted());
}
