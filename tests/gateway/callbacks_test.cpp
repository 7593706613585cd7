// Website callbacks (4.1.9) through the real gateway: each customer transition is POSTed
// to the configured URL as the XML a transitions query returns, retried with back-off
// while the receiver fails or is down, and still delivered after a gateway restart.
#define BOOST_TEST_MODULE gateway_callbacks
#include <boost/test/unit_test.hpp>

#include "gateway_stack.hpp"

#include <test_support/callback_receiver.hpp>

using namespace gateway_test;
using blubridge::test_support::callback_receiver;

namespace {

// A receiver first, so the gateway's configuration can name its URL.
struct receiver_first {
    std::unique_ptr<callback_receiver> receiver = std::make_unique<callback_receiver>();
};

stack_options with_callbacks(const std::string& url) {
    stack_options o;
    o.extra_config = "callbacks:\n"
                     "  urls: [\"" + url + "\"]\n"
                     "  retry_initial: 100ms\n"
                     "  retry_max: 400ms\n"
                     "  timeout: 2s\n";
    return o;
}

struct callback_stack : receiver_first, gateway_stack {
    callback_stack() : gateway_stack(with_callbacks(receiver->url("/hooks/blubilling?src=blubridge"))) {}
};

std::size_t count_for(const std::vector<callback_receiver::received>& got, const std::string& needle) {
    return static_cast<std::size_t>(std::count_if(got.begin(), got.end(), [&](const auto& r) {
        return r.body.find(needle) != std::string::npos;
    }));
}

}  // namespace

BOOST_FIXTURE_TEST_CASE(each_transition_is_posted_as_the_transitions_xml, callback_stack) {
    const auto id = create_customer("bj444");
    BOOST_TEST_REQUIRE(post("/rest/customer/" + id + "?actionName=suspend", "").status == 200u);
    BOOST_TEST_REQUIRE(receiver->wait_for(1));
    const auto got = receiver->requests().front();
    BOOST_TEST(got.method == "POST");
    BOOST_TEST(got.target == "/hooks/blubilling?src=blubridge");
    BOOST_TEST(got.content_type == "application/xml; charset=utf-8");
    // The same document GET /rest/customers/transitions answers for it.
    auto listed = get("/rest/customers/transitions");
    BOOST_TEST(got.body == listed.body);
    BOOST_TEST(id_of(got.body, "customerTransition") == "1");
    BOOST_TEST(id_of(got.body, "customer") == id);
    BOOST_TEST(element_text(got.body, "newStatus") == "Suspended1");
}

BOOST_FIXTURE_TEST_CASE(a_failing_receiver_gets_the_event_again_until_it_accepts, callback_stack) {
    receiver->answer(500);
    const auto id = create_customer("bj444");
    BOOST_TEST_REQUIRE(post("/rest/customer/" + id + "?actionName=suspend", "").status == 200u);
    BOOST_TEST_REQUIRE(receiver->wait_for(3));  // the first attempt and two retries
    receiver->answer(200);
    const std::string first = "<customerTransition id=\"1\">", second = "<customerTransition id=\"2\">";
    BOOST_TEST_REQUIRE(receiver->wait_for_accepted(first));
    const auto tries = count_for(receiver->requests(), first);
    BOOST_TEST(tries >= 4u);
    // Accepted once: a later event is delivered, the first one is not sent again.
    BOOST_TEST_REQUIRE(post("/rest/customer/" + id + "?actionName=activate", "").status == 200u);
    BOOST_TEST_REQUIRE(receiver->wait_for_accepted(second));
    const auto got = receiver->requests();
    BOOST_TEST(count_for(got, first) == tries);
    BOOST_TEST(count_for(got, second) == 1u);
    BOOST_TEST(got.back().body.find("<newStatus>Active</newStatus>") != std::string::npos, got.back().body);
}

BOOST_FIXTURE_TEST_CASE(an_event_outlives_a_receiver_outage_and_a_gateway_restart, callback_stack) {
    const auto id = create_customer("bj444");
    receiver->pause();  // down: connections refused
    BOOST_TEST_REQUIRE(post("/rest/customer/" + id + "?actionName=suspend", "").status == 200u);
    BOOST_TEST_REQUIRE(gateway->wait_for_output("callback"));  // a failed attempt was logged

    restart_gateway();
    receiver->resume();  // up again, same URL
    BOOST_TEST_REQUIRE(receiver->wait_for(1));
    const auto got = receiver->requests().front();
    BOOST_TEST(id_of(got.body, "customer") == id);
    BOOST_TEST(element_text(got.body, "newStatus") == "Suspended1");
}
