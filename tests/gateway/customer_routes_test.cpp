// The BluBilling customer routes through the real gateway and the real sandbox.
#define BOOST_TEST_MODULE gateway_customer_routes
#include <boost/test/unit_test.hpp>

#include "gateway_stack.hpp"

using namespace gateway_test;

BOOST_FIXTURE_TEST_CASE(get_by_id_returns_the_customer_graph, gateway_stack) {
    auto r = get("/rest/customer/302?format=xml");
    BOOST_TEST(r.status == 200u);
    BOOST_TEST(std::string(r.headers[http::field::content_type]) == "application/xml; charset=utf-8");
    BOOST_TEST(r.body.rfind(R"(<?xml version="1.0" encoding="UTF-8"?><customer id="302">)", 0) == 0u, r.body);
    BOOST_TEST(element_text(r.body, "extCustomerRef") == "12343453454");
    BOOST_TEST(element_text(r.body, "balance") == "500.5000");  // decimal text kept exactly
    // Billagain returns PrimaryPaymentMethodInfo with a token: none of it reaches the client.
    BOOST_TEST(r.body.find("f8f3b996") == std::string::npos);
    BOOST_TEST(r.body.find("20406") == std::string::npos);
}

BOOST_FIXTURE_TEST_CASE(get_by_reference_finds_the_same_customer, gateway_stack) {
    auto r = get("/rest/customer?format=xml&extCustomerRef=12343453454");
    BOOST_TEST(r.status == 200u);
    BOOST_TEST(r.body.find(R"(<customer id="302">)") != std::string::npos, r.body);
}

BOOST_FIXTURE_TEST_CASE(seed_create_payload_is_accepted_verbatim, gateway_stack) {
    auto r = post("/rest/customers?format=xml", seed_customer_xml);
    BOOST_TEST_REQUIRE(r.status == 200u, r.body);
    BOOST_TEST(element_text(r.body, "name") == "Bill Joseph");
    BOOST_TEST(element_text(r.body, "extCustomerRef") == "bj444");
    BOOST_TEST(element_text(r.body, "username") == "bill0004");
    BOOST_TEST(element_text(r.body, "emailPrimary") == "Bill@bmontgomery.com");
    BOOST_TEST(r.body.find(secrets::contact_password) == std::string::npos);  // passwords never come back
    BOOST_TEST(r.body.find("<passwd>") == std::string::npos);

    // What reached Billagain, read back from the sandbox's own API.
    const auto id_at = r.body.find("<customer id=\"") + 14;
    const std::string id = r.body.substr(id_at, r.body.find('"', id_at) - id_at);
    auto stored = upstream.get("/v1/customers/" + id);
    BOOST_TEST(stored.status == 200u);
    BOOST_TEST(stored.body.find(R"("Reference":"bj444")") != std::string::npos, stored.body);
    BOOST_TEST(stored.body.find(R"("CurrencyCode":"USD")") != std::string::npos, stored.body);
    BOOST_TEST(stored.body.find(R"("City":"Chicago")") != std::string::npos, stored.body);
    BOOST_TEST(stored.body.find(R"("isWaiveTaxes":false)") != std::string::npos, stored.body);

    // The reference now resolves, and a second create with it is refused before any write.
    BOOST_TEST(get("/rest/customer?format=xml&extCustomerRef=bj444").status == 200u);
    reset_stats();
    auto again = post("/rest/customers?format=xml", seed_customer_xml);
    BOOST_TEST(again.status == 400u);  // BluBilling answers every failure 400
    BOOST_TEST(element_text(again.body, "error") ==
                   "extCustomerRef 'bj444' is already used by customer " + id + "; the new customer was not created",
               again.body);
    auto listed = control.get("/_sandbox/stats");
    BOOST_TEST(listed.body.find("POST") == std::string::npos, listed.body);
}

BOOST_FIXTURE_TEST_CASE(errors_are_blubilling_xml_with_the_right_status, gateway_stack) {
    auto missing = get("/rest/customer/999999?format=xml");
    BOOST_TEST(missing.status == 404u);
    BOOST_TEST(missing.body.find("<status><success>False</success><errors><error>") != std::string::npos, missing.body);

    auto unknown_ref = get("/rest/customer?format=xml&extCustomerRef=nobody");
    BOOST_TEST(unknown_ref.status == 404u);

    auto malformed = post("/rest/customers?format=xml", "<customer><name>x</customer>");
    BOOST_TEST(malformed.status == 400u);
    BOOST_TEST(std::string(malformed.headers[http::field::content_type]) == "application/xml; charset=utf-8");

    auto doctype = post("/rest/customers", R"(<!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]><customer><name>&e;</name></customer>)");
    BOOST_TEST(doctype.status == 400u);
    BOOST_TEST(doctype.body.find("root:") == std::string::npos);

    auto not_supported = post("/rest/customers/paymentPlan?format=xml", "<paymentPlan/>");
    BOOST_TEST(not_supported.status == 501u);
    BOOST_TEST(element_text(not_supported.body, "error").find("payment plan") != std::string::npos);

    auto json = get("/rest/customer/302?format=json");
    BOOST_TEST(json.status == 400u);
}

BOOST_FIXTURE_TEST_CASE(wrong_credentials_get_401_with_a_challenge, gateway_stack) {
    client.set_basic_auth(user, "not-the-password");
    auto r = get("/rest/customer/302");
    BOOST_TEST(r.status == 401u);
    BOOST_TEST(std::string(r.headers[http::field::www_authenticate]) == "Basic realm=\"blubridge\"");
    client.clear_auth();
    BOOST_TEST(get("/rest/customer/302").status == 401u);
}

BOOST_FIXTURE_TEST_CASE(card_numbers_never_reach_a_response_or_a_log_line, gateway_stack) {
    BOOST_TEST_REQUIRE(post("/rest/customers?format=xml", seed_customer_xml).status == 200u);
    auto saved = put("/rest/customer/autopay?format=xml&extCustomerRef=bj444&validate=true", seed_autopay_xml);
    BOOST_TEST(saved.status == 200u, saved.body);
    auto listed = get("/rest/customer/autopay?format=xml&extCustomerRef=bj444");
    BOOST_TEST(listed.status == 200u, listed.body);
    for (const auto* body : {&saved.body, &listed.body}) {
        BOOST_TEST(body->find(secrets::card_number) == std::string::npos, *body);
        BOOST_TEST(body->find("<cvv>") == std::string::npos, *body);
    }
    BOOST_TEST(listed.body.find(secrets::card_last_four) != std::string::npos, listed.body);  // masked digits only
    gateway->terminate();
    const auto log = gateway->output();
    for (const auto s : {secrets::card_number, secrets::cvv, secrets::contact_password}) {
        BOOST_TEST(log.find(s) == std::string::npos, s);
    }
}

BOOST_FIXTURE_TEST_CASE(upstream_down_is_502, gateway_stack) {
    sandbox->terminate();
    auto r = get("/rest/customer/302");
    BOOST_TEST(r.status == 502u);
    BOOST_TEST(element_text(r.body, "error").find("unreachable") != std::string::npos, r.body);
}

BOOST_FIXTURE_TEST_CASE(gateway_stops_cleanly_on_sigterm, gateway_stack) {
    BOOST_TEST(get("/rest/customer/302").status == 200u);
    BOOST_TEST(gateway->terminate() == 0);
}
