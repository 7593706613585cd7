// Authentication on every route, and the per-address limit on failed attempts, through
// the real gateway in front of the real sandbox.
#define BOOST_TEST_MODULE gateway_authentication
#include <boost/test/unit_test.hpp>

#include "gateway_stack.hpp"

#include <blubridge/auth/basic_authenticator.hpp>

#include <algorithm>
#include <atomic>

using namespace gateway_test;

namespace {

struct route_case {
    http::verb method;
    std::string target;
    std::string body;
};

// Every route the router serves (src/gateway/router.cpp), by id and by extCustomerRef,
// and one it does not: authentication comes before routing.
std::vector<route_case> every_route() {
    const std::string contact = "<billingContact><firstName>X</firstName></billingContact>";
    std::vector<route_case> routes{
        {http::verb::get, "/rest/customer/302", {}},
        {http::verb::put, "/rest/customer/302", seed_customer_xml},
        {http::verb::delete_, "/rest/customer/302", {}},
        {http::verb::post, "/rest/customer/302?actionName=suspend", {}},
        {http::verb::get, "/rest/customer?extCustomerRef=12343453454", {}},
        {http::verb::put, "/rest/customer?extCustomerRef=12343453454", seed_customer_xml},
        {http::verb::delete_, "/rest/customer?extCustomerRef=12343453454", {}},
        {http::verb::post, "/rest/customer?extCustomerRef=12343453454&actionName=activate", {}},
        {http::verb::get, "/rest/customer/302/autopay", {}},
        {http::verb::put, "/rest/customer/302/autopay?validate=true", seed_autopay_xml},
        {http::verb::post, "/rest/customer/302/autopay", seed_autopay_xml},
        {http::verb::get, "/rest/customer/autopay?extCustomerRef=12343453454", {}},
        {http::verb::put, "/rest/customer/autopay?extCustomerRef=12343453454", seed_autopay_xml},
        {http::verb::get, "/rest/customers", {}},
        {http::verb::get, "/rest/customers?search=Bill&max=5&createStartTime=201001010000", {}},
        {http::verb::post, "/rest/customers", seed_customer_xml},
        {http::verb::post, "/rest/customers?actionName=addCustomerAndOrder", "<addCustomerAndOrder/>"},
        {http::verb::get, "/rest/customers/transitions?daysAgo=7", {}},
        {http::verb::get, "/rest/customers/paymentPlan", {}},
        {http::verb::get, "/rest/customers/302/paymentPlan", {}},
        {http::verb::post, "/rest/customers/notification", "<notification/>"},
        {http::verb::get, "/rest/nowhere", {}},
    };
    for (const std::string kind : {"billingContact", "salesContact"}) {
        routes.push_back({http::verb::get, "/rest/customer/302/" + kind, {}});
        routes.push_back({http::verb::put, "/rest/customer/302/" + kind, contact});
        routes.push_back({http::verb::get, "/rest/customer/" + kind + "?extCustomerRef=12343453454", {}});
        routes.push_back({http::verb::put, "/rest/customer/" + kind + "?extCustomerRef=12343453454", contact});
    }
    return routes;
}

struct bad_credentials {
    std::string name;
    std::optional<std::string> authorization;  ///< nullopt: no header at all
};

std::vector<bad_credentials> every_kind_of_bad_credentials() {
    using blubridge::auth::make_basic_authorization;
    return {
        {"no Authorization", std::nullopt},
        {"a wrong password", make_basic_authorization(user, "not-the-password")},
        {"an unknown user", make_basic_authorization("nobody", password)},
        {"a malformed Basic header", "Basic !!!not-base64"},
        {"another scheme", "Bearer abc.def"},
    };
}

http_client::result send(http_client& c, const route_case& r, const std::optional<std::string>& authorization) {
    http_client::header_list headers{{"Content-Type", "application/xml"}};
    if (authorization) headers.emplace_back("Authorization", *authorization);
    return c.request(r.method, r.target, r.body, headers);
}

bool is_status_document(const http_client::result& r) {
    return std::string(r.headers[http::field::content_type]) == "application/xml; charset=utf-8" &&
           r.body.find("<status><success>False</success><errors><error>") != std::string::npos;
}

unsigned retry_after(const http_client::result& r) {
    const std::string value(r.headers[http::field::retry_after]);
    return value.empty() ? 0u : static_cast<unsigned>(std::stoul(value));
}

// A small allowance and a short lockout, so the test can wait one out.
stack_options throttled() {
    stack_options o;
    o.extra_config = "auth:\n"
                     "  failures_before_delay: 3\n"
                     "  failure_window: 1m\n"
                     "  lockout: 3s\n"
                     "  max_lockout: 3s\n";
    return o;
}

struct throttled_stack : gateway_stack {
    throttled_stack() : gateway_stack(throttled()) { client.clear_auth(); }
};

const route_case get_customer{http::verb::get, "/rest/customer/302", {}};

}  // namespace

BOOST_FIXTURE_TEST_CASE(every_route_refuses_missing_and_wrong_credentials_with_401, gateway_stack) {
    // The default limits (5 failures a minute): an authenticated request after each route's
    // failures starts the address afresh, so the sweep itself is never locked out.
    http_client good(gateway->host(), gateway->port());
    good.set_basic_auth(user, password);
    client.clear_auth();
    reset_stats();
    unsigned checked = 0;
    for (const auto& route : every_route()) {
        for (const auto& bad : every_kind_of_bad_credentials()) {
            BOOST_TEST_CONTEXT(route.target << " (" << http::to_string(route.method) << ") with " << bad.name) {
                const auto r = send(client, route, bad.authorization);
                BOOST_TEST(r.status == 401u, r.body);
                BOOST_TEST(std::string(r.headers[http::field::www_authenticate]) == "Basic realm=\"blubridge\"");
                BOOST_TEST(is_status_document(r), r.body);
                ++checked;
            }
        }
        BOOST_TEST_REQUIRE(good.get("/rest/nowhere").status == 404u);  // authenticated: routed
    }
    BOOST_TEST(checked == every_route().size() * every_kind_of_bad_credentials().size());
    BOOST_TEST(gateway_requests() == 0u, "nothing unauthenticated may reach Billagain");
    BOOST_TEST(client.get("/readyz").status == 200u);  // probes need no credentials
}

BOOST_FIXTURE_TEST_CASE(repeated_failures_lock_the_address_out_even_for_the_right_password, throttled_stack) {
    reset_stats();
    unsigned guesses = 0;  // each a new password: a wrong one resent is no new guess
    const auto wrong = [&] { return blubridge::auth::make_basic_authorization(user, "guess " + std::to_string(++guesses)); };
    const auto right = blubridge::auth::make_basic_authorization(user, password);
    for (int i = 0; i < 3; ++i) BOOST_TEST_REQUIRE(send(client, get_customer, wrong()).status == 401u);
    const auto locked_at = std::chrono::steady_clock::now();

    const auto guess = send(client, get_customer, wrong());
    BOOST_TEST(guess.status == 429u, guess.body);
    BOOST_TEST(retry_after(guess) >= 1u);
    BOOST_TEST(retry_after(guess) <= 3u);
    BOOST_TEST(is_status_document(guess), guess.body);
    BOOST_TEST(std::string(guess.headers[http::field::www_authenticate]).empty());

    // The point of a lockout: the right password does not get through it either.
    const auto refused = send(client, get_customer, right);
    BOOST_TEST(refused.status == 429u, refused.body);
    BOOST_TEST(retry_after(refused) >= 1u);
    BOOST_TEST(client.get("/readyz").status == 200u);  // probes are never locked out
    BOOST_TEST(gateway_requests() == 0u);

    // Refused attempts are not counted, so waiting with the right password ends the lockout.
    http_client::result r;
    const auto deadline = locked_at + std::chrono::seconds(15);
    while ((r = send(client, get_customer, right)).status == 429u) {
        BOOST_TEST_REQUIRE((std::chrono::steady_clock::now() < deadline), "the lockout never ended");
        std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    BOOST_TEST(r.status == 200u, r.body);
    // The gateway locked the address before its third 401 reached us: at least the
    // lockout less a generous allowance for that.
    BOOST_TEST((std::chrono::steady_clock::now() - locked_at >= std::chrono::milliseconds(2000)));
    BOOST_TEST(gateway_requests() >= 1u);

    // The success started the address afresh: three more failures are 401 again.
    for (int i = 0; i < 3; ++i) BOOST_TEST(send(client, get_customer, wrong()).status == 401u);
    BOOST_TEST(send(client, get_customer, wrong()).status == 429u);
    // The right password is remembered as verified now (answered without PBKDF2 from an
    // address with nothing against it), and still does not get through a lockout.
    BOOST_TEST(send(client, get_customer, right).status == 429u);
}

BOOST_FIXTURE_TEST_CASE(a_wrong_password_resent_is_refused_without_counting_again, throttled_stack) {
    // A misconfigured client retrying its one wrong password guesses nothing new: it keeps
    // getting 401 (from the memory of wrong credentials) and is never locked out by it.
    const auto stale = blubridge::auth::make_basic_authorization(user, "last year's password");
    for (int i = 0; i < 10; ++i) BOOST_TEST_REQUIRE(send(client, get_customer, stale).status == 401u);
    // Two new guesses are still allowed (one failure counted of three), then the lockout.
    for (const char* guess : {"new guess", "another"}) {
        BOOST_TEST(send(client, get_customer, blubridge::auth::make_basic_authorization(user, guess)).status == 401u);
    }
    BOOST_TEST(send(client, get_customer, stale).status == 429u);
}

BOOST_FIXTURE_TEST_CASE(requests_without_credentials_are_not_counted, throttled_stack) {
    // Clients that send credentials only after a challenge must not lock themselves out.
    for (int i = 0; i < 10; ++i) BOOST_TEST_REQUIRE(send(client, get_customer, std::nullopt).status == 401u);
    const auto r = send(client, get_customer, blubridge::auth::make_basic_authorization(user, password));
    BOOST_TEST(r.status == 200u, r.body);
}

namespace {

// Sends `authorization(i)` from `count` connections at once; the statuses, in no order.
template <class Authorization>
std::vector<unsigned> send_in_parallel(gateway_stack& stack, int count, Authorization authorization) {
    std::vector<unsigned> statuses(count);
    std::vector<std::thread> threads;
    for (int i = 0; i < count; ++i) {
        threads.emplace_back([&, i, host = stack.gateway->host(), port = stack.gateway->port()] {
            http_client c(host, port);
            statuses[i] = send(c, get_customer, authorization(i)).status;
        });
    }
    for (auto& t : threads) t.join();
    return statuses;
}

unsigned count_of(const std::vector<unsigned>& statuses, unsigned status) {
    return static_cast<unsigned>(std::count(statuses.begin(), statuses.end(), status));
}

}  // namespace

BOOST_FIXTURE_TEST_CASE(parallel_guesses_get_no_more_checks_than_the_allowance, throttled_stack) {
    // Distinct guesses on separate connections, all at once: at most three are checked
    // (401), the rest are refused unchecked (429), however they interleave.
    constexpr int guessers = 12;
    const auto statuses = send_in_parallel(*this, guessers, [](int i) {
        return blubridge::auth::make_basic_authorization("nobody", "guess-" + std::to_string(i));
    });
    BOOST_TEST(count_of(statuses, 401u) >= 1u);
    BOOST_TEST(count_of(statuses, 401u) <= 3u);
    BOOST_TEST(count_of(statuses, 401u) + count_of(statuses, 429u) == static_cast<unsigned>(guessers));
}

BOOST_FIXTURE_TEST_CASE(a_client_logging_in_on_many_connections_at_once_is_not_locked_out, throttled_stack) {
    // A fresh gateway, so no password is remembered yet: twelve first logins at once are
    // one guess in flight, not twelve, and every one of them is served.
    reset_stats();
    const auto right = blubridge::auth::make_basic_authorization(user, password);
    const auto statuses = send_in_parallel(*this, 12, [&](int) { return right; });
    BOOST_TEST(count_of(statuses, 200u) == 12u);
    BOOST_TEST(gateway_requests() >= 1u);
}

BOOST_FIXTURE_TEST_CASE(one_wrong_password_sent_in_parallel_is_one_failure, throttled_stack) {
    // Twelve copies of one guess at once: all answered 401, and counted as one failure of
    // the three allowed, so two more guesses are still checked before the lockout.
    const auto statuses = send_in_parallel(*this, 12, [](int) {
        return blubridge::auth::make_basic_authorization("nobody", "the same guess");
    });
    BOOST_TEST(count_of(statuses, 401u) == 12u);
    for (const char* guess : {"second guess", "third guess"}) {
        BOOST_TEST(send(client, get_customer, blubridge::auth::make_basic_authorization("nobody", guess)).status == 401u);
    }
    BOOST_TEST(send(client, get_customer, blubridge::auth::make_basic_authorization("nobody", "4th")).status == 429u);
}
