// Writes exactly once: Idempotency-Key on POST and PUT, and creates whose Billagain answer
// is lost (sandbox fault "drop after"), against the real gateway and sandbox.
#define BOOST_TEST_MODULE gateway_idempotency
#include <boost/test/unit_test.hpp>

#include "gateway_stack.hpp"

#include <future>

using namespace gateway_test;

namespace {

using header_list = http_client::header_list;

header_list key(const std::string& value) { return {{"Idempotency-Key", value}}; }

// Customers in the sandbox carrying `ref` (a unique string, so counting it is exact).
std::size_t customers_with(gateway_stack& s, const std::string& ref) {
    std::size_t found = 0;
    for (int page = 1;; ++page) {
        auto r = s.upstream.get("/v1/customers?page=" + std::to_string(page) + "&page_size=200");
        BOOST_TEST_REQUIRE(r.status == 200u, r.body);
        if (r.body == "[]" || page > 50) break;  // past the last page
        found += occurrences(r.body, "\"" + ref + "\"");
    }
    return found;
}

std::string without_reference(std::string xml) {
    const std::string ref = "<extCustomerRef>bj444</extCustomerRef>\n";
    xml.erase(xml.find(ref), ref.size());
    return xml;
}

constexpr const char* drop_after_create = R"({"kind":"drop","when":"after","method":"POST","path_prefix":"/v1/customers","count":1})";

}  // namespace

BOOST_FIXTURE_TEST_CASE(a_create_whose_answer_is_lost_is_found_and_answered, gateway_stack) {
    const auto before = sandbox_customers();
    add_fault(drop_after_create);
    reset_stats();
    auto r = post("/rest/customers", customer_xml("lost-answer-1"));
    BOOST_TEST_REQUIRE(r.status == 200u, r.body);
    BOOST_TEST(element_text(r.body, "extCustomerRef") == "lost-answer-1");
    BOOST_TEST(upstream_requests("POST /v1/customers") == 1u);  // never sent twice
    BOOST_TEST(sandbox_customers() == before + 1);
    BOOST_TEST(customers_with(*this, "lost-answer-1") == 1u);
    // And the gateway knows it now: found by reference at once.
    BOOST_TEST(get("/rest/customer?extCustomerRef=lost-answer-1").status == 200u);
}

BOOST_FIXTURE_TEST_CASE(a_lost_create_without_reference_is_found_by_its_fields, gateway_stack) {
    const auto before = sandbox_customers();
    add_fault(drop_after_create);
    auto r = post("/rest/customers", without_reference(seed_customer_xml));
    BOOST_TEST_REQUIRE(r.status == 200u, r.body);
    BOOST_TEST(element_text(r.body, "name") == "Bill Joseph");
    BOOST_TEST(sandbox_customers() == before + 1);
}

BOOST_FIXTURE_TEST_CASE(an_unresolvable_lost_create_is_502_and_the_same_key_resolves_it, gateway_stack) {
    const auto before = sandbox_customers();
    add_fault(drop_after_create);
    // The search that follows fails too: whether the customer exists cannot be learnt.
    add_fault(R"({"kind":"status","status":500,"method":"GET","path_prefix":"/v1/customers","count":1})");
    auto first = client.request(http::verb::post, "/rest/customers", customer_xml("lost-answer-2"), key("create-2"));
    BOOST_TEST(first.status == 502u, first.body);
    BOOST_TEST(first.body.find("Idempotency-Key") != std::string::npos, first.body);
    BOOST_TEST(sandbox_customers() == before + 1);  // it was created, the gateway just could not tell

    reset_stats();
    auto retry = client.request(http::verb::post, "/rest/customers", customer_xml("lost-answer-2"), key("create-2"));
    BOOST_TEST_REQUIRE(retry.status == 200u, retry.body);
    BOOST_TEST(element_text(retry.body, "extCustomerRef") == "lost-answer-2");
    BOOST_TEST(upstream_requests("POST /v1/customers") == 0u);  // found, not created again
    BOOST_TEST(sandbox_customers() == before + 1);
    BOOST_TEST(customers_with(*this, "lost-answer-2") == 1u);
}

BOOST_FIXTURE_TEST_CASE(a_retried_create_gets_the_first_answer_without_a_second_write, gateway_stack) {
    auto first = client.request(http::verb::post, "/rest/customers", customer_xml("idem-1"), key("k-1"));
    BOOST_TEST_REQUIRE(first.status == 200u, first.body);
    reset_stats();
    auto again = client.request(http::verb::post, "/rest/customers", customer_xml("idem-1"), key("k-1"));
    BOOST_TEST(again.status == first.status);
    BOOST_TEST(again.body == first.body);
    BOOST_TEST(std::string(again.headers["Idempotent-Replayed"]) == "true");
    BOOST_TEST(upstream_requests() == 0u);
    BOOST_TEST(customers_with(*this, "idem-1") == 1u);

    // The same key with another body is refused; another key is a new request (400: its reference is in use).
    auto other = client.request(http::verb::post, "/rest/customers", customer_xml("idem-2"), key("k-1"));
    BOOST_TEST(other.status == 422u, other.body);
    BOOST_TEST(other.body.find("<success>False</success>") != std::string::npos);
    BOOST_TEST(customers_with(*this, "idem-2") == 0u);
}

BOOST_FIXTURE_TEST_CASE(a_refused_request_is_kept_too, gateway_stack) {
    create_customer("idem-taken");
    auto first = client.request(http::verb::post, "/rest/customers", customer_xml("idem-taken"), key("k-taken"));
    BOOST_TEST_REQUIRE(first.status == 400u, first.body);
    auto again = client.request(http::verb::post, "/rest/customers", customer_xml("idem-taken"), key("k-taken"));
    BOOST_TEST(again.status == 400u);
    BOOST_TEST(again.body == first.body);
    BOOST_TEST(std::string(again.headers["Idempotent-Replayed"]) == "true");
}

BOOST_FIXTURE_TEST_CASE(a_retried_update_is_not_written_twice, gateway_stack) {
    const std::string update = "<customer><name>Renamed Once</name></customer>";
    auto first = client.request(http::verb::put, "/rest/customer/302", update, key("put-1"));
    BOOST_TEST_REQUIRE(first.status == 200u, first.body);
    reset_stats();
    auto again = client.request(http::verb::put, "/rest/customer/302", update, key("put-1"));
    BOOST_TEST(again.status == 200u);
    BOOST_TEST(again.body == first.body);
    BOOST_TEST(upstream_requests("PUT /v1/customers/{id}") == 0u);
}

BOOST_FIXTURE_TEST_CASE(a_retry_while_the_first_runs_is_409, gateway_stack) {
    add_fault(R"({"kind":"latency","latency_ms":1500,"method":"POST","path_prefix":"/v1/customers","count":1})");
    reset_stats();
    auto slow = std::async(std::launch::async, [this] {
        http_client other(gateway->host(), gateway->port());
        other.set_basic_auth(user, password);
        return other.request(http::verb::post, "/rest/customers", customer_xml("idem-slow"), key("k-slow"));
    });
    // Once the sandbox has the first request (held there by the latency), its key is taken.
    for (int i = 0; i < 200 && upstream_requests("POST /v1/customers") == 0; ++i) {
        std::this_thread::sleep_for(std::chrono::milliseconds(5));
    }
    auto during = client.request(http::verb::post, "/rest/customers", customer_xml("idem-slow"), key("k-slow"));
    BOOST_TEST(during.status == 409u, during.body);
    BOOST_TEST(during.body.find("still being processed") != std::string::npos, during.body);
    BOOST_TEST(slow.get().status == 200u);
    BOOST_TEST(customers_with(*this, "idem-slow") == 1u);
}

BOOST_FIXTURE_TEST_CASE(a_bad_key_is_400_and_answers_survive_a_restart, gateway_stack) {
    auto bad = client.request(http::verb::post, "/rest/customers", customer_xml("idem-bad"), key(std::string(300, 'k')));
    BOOST_TEST(bad.status == 400u, bad.body);
    BOOST_TEST(customers_with(*this, "idem-bad") == 0u);

    auto first = client.request(http::verb::post, "/rest/customers", customer_xml("idem-durable"), key("k-durable"));
    BOOST_TEST_REQUIRE(first.status == 200u, first.body);
    restart_gateway();
    wait_until_ready(client);
    auto again = client.request(http::verb::post, "/rest/customers", customer_xml("idem-durable"), key("k-durable"));
    BOOST_TEST(again.status == 200u);
    BOOST_TEST(again.body == first.body);
    BOOST_TEST(customers_with(*this, "idem-durable") == 1u);
}

BOOST_FIXTURE_TEST_CASE(a_resumed_create_the_directory_has_seen_meanwhile_is_found_not_refused, refreshing_stack) {
    add_fault(drop_after_create);
    add_fault(R"({"kind":"status","status":500,"method":"GET","path_prefix":"/v1/customers","count":1})");
    auto first = client.request(http::verb::post, "/rest/customers", customer_xml("lost-answer-3"), key("create-3"));
    BOOST_TEST_REQUIRE(first.status == 502u, first.body);
    // A refresh pass picks the customer up, so its reference is now in use in the directory.
    unsigned seen = 0;
    for (int i = 0; i < 300 && seen != 200u; ++i) {
        seen = get("/rest/customer?extCustomerRef=lost-answer-3").status;
        if (seen != 200u) std::this_thread::sleep_for(std::chrono::milliseconds(20));
    }
    BOOST_TEST_REQUIRE(seen == 200u);
    auto retry = client.request(http::verb::post, "/rest/customers", customer_xml("lost-answer-3"), key("create-3"));
    BOOST_TEST(retry.status == 200u, retry.body);
    BOOST_TEST(element_text(retry.body, "extCustomerRef") == "lost-answer-3");
    BOOST_TEST(customers_with(*this, "lost-answer-3") == 1u);
    // Without the key, the same create is the usual clash.
    BOOST_TEST(post("/rest/customers", customer_xml("lost-answer-3")).status == 400u);
}
