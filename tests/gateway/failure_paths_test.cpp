// What a client sees when Billagain fails (faults injected in the sandbox) or when its
// own request is bad: always a BluBilling XML error with the right status.
#define BOOST_TEST_MODULE gateway_failure_paths
#include <boost/test/unit_test.hpp>

#include "gateway_stack.hpp"

#include <chrono>

using namespace gateway_test;

namespace {

const std::string xml_type = "application/xml; charset=utf-8";

// A BluBilling error document: the status, the content type, success False, a message.
void expect_error(const http_client::result& r, unsigned status, const std::string& mentions = {}) {
    BOOST_TEST(r.status == status, r.body);
    BOOST_TEST(std::string(r.headers[http::field::content_type]) == xml_type);
    BOOST_TEST(r.body.rfind(R"(<?xml version="1.0" encoding="UTF-8"?><status><success>False</success>)", 0) == 0u,
               r.body);
    const auto message = element_text(r.body, "error");
    BOOST_TEST(!message.empty());
    if (!mentions.empty()) BOOST_TEST(message.find(mentions) != std::string::npos, message);
}

// The gateway's upstream request timeout is 5 s in the default fixture; 1 s here so a
// slow Billagain is noticed quickly.
stack_options short_timeout() {
    stack_options o;
    o.request_timeout = "1s";
    return o;
}

struct short_timeout_stack : gateway_stack {
    short_timeout_stack() : gateway_stack(short_timeout()) {}
};

}  // namespace

BOOST_FIXTURE_TEST_CASE(an_upstream_500_is_502, gateway_stack) {
    add_fault(R"({"kind":"status","status":500,"count":1})");
    expect_error(get("/rest/customer/302"), 502, "500");
    BOOST_TEST(get("/rest/customer/302").status == 200u);  // the rule fired once

    add_fault(R"({"kind":"status","status":503,"count":1,"path_prefix":"/v1/customers/302"})");
    expect_error(put("/rest/customer/302", "<customer><name>x</name></customer>"), 502);
    BOOST_TEST(member_of(upstream.get("/v1/customers/302").body, "Name") == "\"Brielle Barnett\"");
}

BOOST_FIXTURE_TEST_CASE(a_slow_upstream_is_504, short_timeout_stack) {
    add_fault(R"({"kind":"latency","latency_ms":2500,"count":1})");
    const auto started = std::chrono::steady_clock::now();
    auto r = get("/rest/customer/302");
    const auto waited = std::chrono::steady_clock::now() - started;
    expect_error(r, 504, "in time");
    BOOST_TEST(waited < std::chrono::milliseconds(2400));  // answered at the timeout, not after the upstream
    BOOST_TEST(get("/rest/customer/302").status == 200u);
}

BOOST_FIXTURE_TEST_CASE(a_dropped_get_is_retried_once_and_succeeds, gateway_stack) {
    // The contacts read: the record is read beside it, so a prefix matching both would
    // leave which one is dropped to chance.
    add_fault(R"({"kind":"drop","count":1,"path_prefix":"/v1/customers/302/contacts"})");
    reset_stats();
    auto r = get("/rest/customer/302");
    BOOST_TEST(r.status == 200u, r.body);
    BOOST_TEST(r.body.find(R"(<customer id="302">)") != std::string::npos);
    BOOST_TEST(upstream_requests("GET /v1/customers/{id}/contacts") == 2u);  // the drop and its retry
    BOOST_TEST(upstream_requests("GET /v1/customers/{id}") == 1u);

    // Twice in a row is not retried again.
    add_fault(R"({"kind":"drop","count":2,"path_prefix":"/v1/customers/302/contacts"})");
    expect_error(get("/rest/customer/302"), 502);
}

BOOST_FIXTURE_TEST_CASE(a_dropped_create_is_never_sent_twice_and_is_found, gateway_stack) {
    const auto customers = sandbox_customers();
    std::string xml = seed_customer_xml;
    const std::string ref = "<extCustomerRef>bj444</extCustomerRef>\n";
    xml.erase(xml.find(ref), ref.size());
    add_fault(R"({"kind":"drop","count":1,"path_prefix":"/v1/customers","when":"after"})");
    reset_stats();
    auto r = post("/rest/customers", xml);
    // The write was applied before the answer was lost: the gateway finds the customer
    // (tests/gateway/idempotency_test.cpp has the details) instead of creating another.
    BOOST_TEST(r.status == 200u, r.body);
    BOOST_TEST(upstream_requests("POST /v1/customers") == 1u);
    BOOST_TEST(sandbox_customers() == customers + 1);
}

BOOST_FIXTURE_TEST_CASE(a_malformed_upstream_body_is_502, gateway_stack) {
    add_fault(R"({"kind":"malformed","count":1,"path_prefix":"/v1/customers/302"})");
    expect_error(get("/rest/customer/302"), 502, "Billagain");
    add_fault(R"({"kind":"malformed","count":1,"path_prefix":"/v1/by_customer_ids"})");
    expect_error(get("/rest/customers"), 502, "Billagain");
    add_fault(R"({"kind":"malformed","count":1,"path_prefix":"/v1/customers/302/paymentmethods"})");
    expect_error(get("/rest/customer/302/autopay"), 502, "Billagain");
    BOOST_TEST(get("/rest/customer/302").status == 200u);
}

BOOST_FIXTURE_TEST_CASE(malformed_and_too_deep_xml_is_400, gateway_stack) {
    reset_stats();
    expect_error(post("/rest/customers", "<customer><name>x</customer>"), 400);
    expect_error(post("/rest/customers", "not xml at all"), 400);
    expect_error(put("/rest/customer/302", "<customer><name>x</name>"), 400);

    std::string deep;
    for (int i = 0; i < 40; ++i) deep += "<billingContact>";
    for (int i = 0; i < 40; ++i) deep += "</billingContact>";
    expect_error(post("/rest/customers", "<customer>" + deep + "</customer>"), 400);
    expect_error(put("/rest/customer/302/billingContact", deep), 400);
    BOOST_TEST(upstream_requests("POST /v1/customers") == 0u);
}

BOOST_FIXTURE_TEST_CASE(unknown_elements_are_400_listing_every_path, gateway_stack) {
    auto r = post("/rest/customers", R"(<customer>
<name>Bill Joseph</name>
<nickname>BJ</nickname>
<currency id="USD" symbol="$"/>
<billingContact><address><planet>Earth</planet></address></billingContact>
</customer>)");
    expect_error(r, 400);
    const auto message = element_text(r.body, "error");
    for (const char* path : {"customer/nickname", "customer/currency/@symbol", "customer/billingContact/address/planet"}) {
        BOOST_TEST(message.find(path) != std::string::npos, path << " not in " << message);
    }
    BOOST_TEST(sandbox_customers() == 6u);
}

BOOST_FIXTURE_TEST_CASE(a_wrong_type_is_400_naming_the_field, gateway_stack) {
    std::string xml = seed_customer_xml;
    xml.replace(xml.find("<isBusinessAccount>false"), 24, "<isBusinessAccount>maybe");
    auto r = post("/rest/customers", xml);
    expect_error(r, 400, "isBusinessAccount");
    expect_error(put("/rest/customer/302", "<customer><isBusinessAccount>maybe</isBusinessAccount></customer>"), 400,
                 "isBusinessAccount");
    expect_error(post("/rest/customers", "<customer><paymentTermsValue>thirty</paymentTermsValue></customer>"), 400,
                 "paymentTermsValue");
    BOOST_TEST(sandbox_customers() == 6u);
}

BOOST_FIXTURE_TEST_CASE(empty_bodies_on_post_and_put_are_400, gateway_stack) {
    reset_stats();
    expect_error(post("/rest/customers", ""), 400);
    expect_error(post("/rest/customers?actionName=addCustomerAndOrder", ""), 400);
    expect_error(put("/rest/customer/302", ""), 400);
    expect_error(put("/rest/customer?extCustomerRef=12343453454", "  \n"), 400);
    expect_error(put("/rest/customer/302/salesContact", ""), 400);
    expect_error(post("/rest/customer/302/autopay", ""), 400);
    BOOST_TEST(upstream_requests("POST /v1/customers") == 0u);
    BOOST_TEST(upstream_requests("PUT /v1/customers/{id}") == 0u);
}

BOOST_FIXTURE_TEST_CASE(unknown_routes_and_methods_answer_xml, gateway_stack) {
    expect_error(get("/rest/nothing"), 404);
    expect_error(get("/rest/customer/302/invoices"), 404);
    expect_error(client.request(http::verb::patch, "/rest/customer/302"), 405);
    expect_error(get("/rest/customer/abc"), 400);
    expect_error(get("/rest/customer/302?extCustomerRef=12343453454"), 400);
    expect_error(post("/rest/customer/302?actionName=explode", ""), 400);
    expect_error(get("/rest/customers/paymentPlan?id=302"), 501, "payment plan");
}
