// The security issue's hostile XML bodies sent to the real gateway: each is a 400 BluBilling
// <status> document naming the problem, nothing reaches Billagain, and the gateway goes on
// serving. tests/mapping/test_hostile_xml.cpp measures time and memory of each case.
#define BOOST_TEST_MODULE gateway_hostile_xml
#include <boost/test/unit_test.hpp>

#include "gateway_stack.hpp"

#include <chrono>

using namespace gateway_test;

namespace {

// A 400 <status> document whose error message contains `mentions`.
void expect_refused(const http_client::result& r, const std::string& mentions) {
    BOOST_TEST(r.status == 400u, r.body.substr(0, 300));
    BOOST_TEST(std::string(r.headers[http::field::content_type]) == "application/xml; charset=utf-8");
    BOOST_TEST(r.body.rfind(R"(<?xml version="1.0" encoding="UTF-8"?><status><success>False</success>)", 0) == 0u,
               r.body.substr(0, 300));
    const auto message = element_text(r.body, "error");
    BOOST_TEST(message.find(mentions) != std::string::npos, message);
    BOOST_TEST(r.body.size() < 1024u);  // the message names the problem, it does not echo the body
}

std::string repeat(const std::string& s, std::size_t n) {
    std::string out;
    for (std::size_t i = 0; i < n; ++i) out += s;
    return out;
}

}  // namespace

BOOST_FIXTURE_TEST_CASE(hostile_bodies_are_400_and_never_reach_billagain, gateway_stack) {
    std::string laughs = R"(<?xml version="1.0"?><!DOCTYPE customer [<!ENTITY lol "lol">)";
    for (int i = 1; i <= 9; ++i)
        laughs += "<!ENTITY lol" + std::to_string(i) + " \"" +
                  repeat(i == 1 ? "&lol;" : "&lol" + std::to_string(i - 1) + ";", 10) + "\">";
    laughs += "]><customer><name>&lol9;</name></customer>";

    // Just under the 1 MiB body limit, so it reaches the parser (a larger body is 413).
    const std::string big_text = "<customer><name>" + std::string(1024 * 1024 - 64, 'a') + "</name></customer>";

    reset_stats();
    const auto started = std::chrono::steady_clock::now();
    expect_refused(post("/rest/customers", laughs), "DOCTYPE");
    expect_refused(put("/rest/customer/302", "<customer><name>Bill \xC3(</name></customer>"), "invalid UTF-8");
    expect_refused(post("/rest/customers", R"(<customer><currency id="USD" id="EUR"/></customer>)"),
                   "customer/currency: attribute 'id' appears twice");
    expect_refused(post("/rest/customers", "<customer>" + repeat("<name>A</name>", 10'000) + "</customer>"),
                   "customer: more than 256 child elements");
    expect_refused(put("/rest/customer/302", big_text), "customer/name: text longer than 65536 bytes");
    const std::chrono::duration<double> took = std::chrono::steady_clock::now() - started;
    BOOST_TEST(took.count() < 5.0, took.count() << " s for five refusals");

    BOOST_TEST(upstream_requests("POST /v1/customers") == 0u);
    BOOST_TEST(upstream_requests("PUT /v1/customers/{id}") == 0u);
    BOOST_TEST(sandbox_customers() == 6u);
    // The gateway goes on serving, and a normal document still passes.
    BOOST_TEST(get("/rest/customer/302").status == 200u);
    auto ok = put("/rest/customer/302", "<customer><name>Brielle Barnett</name></customer>");
    BOOST_TEST(ok.status == 200u, ok.body);
}
