#define BOOST_TEST_MODULE sandbox customers over HTTP
// GET/POST/PUT/DELETE of /v1/customers and friends against the real process, with the
// seed documents' own requests, checking status codes and the seed responses' shapes.
#include "sandbox_http_support.hpp"

using namespace sandbox_test;

BOOST_AUTO_TEST_CASE(customers_endpoints_with_seed_examples) {
    running_sandbox sb;

    auto r = sb.get("/v1/customers");
    BOOST_TEST(r.status == 200u);
    BOOST_TEST(std::string(r.headers[http::field::content_type]) == "application/json; charset=utf-8");
    check_seed_shape("customers_list_response", r.body);
    BOOST_TEST(r.body.find("\"Balance\":500.5000,") != std::string::npos);

    r = sb.post("/v1/by_customer_ids", seed("by_customer_ids_request"));
    BOOST_TEST(r.status == 200u);
    check_seed_shape("by_customer_ids_response", r.body);
    auto list = parse(r.body);
    BOOST_TEST(list.items().size() == 2u);
    BOOST_TEST(list.items()[0].find("customerID")->text() == "302");

    r = sb.get("/v1/customers/with_customfields");
    BOOST_TEST(r.status == 200u);
    check_seed_shape("customers_with_customfields_response", r.body);

    r = sb.get("/v1/customers/10622");
    BOOST_TEST(r.status == 200u);
    check_seed_shape("customer_get_response", r.body);
    BOOST_TEST(r.body.find("\"Balance\":1728.0667,") != std::string::npos);
    BOOST_TEST(parse(r.body).members().size() == 38u);

    r = sb.get("/v1/customers/with_customfields/10622");
    BOOST_TEST(r.status == 200u);
    check_seed_shape("customer_with_customfields_get_response", r.body);

    r = sb.post("/v1/customers", seed("customer_create_request"));
    BOOST_TEST_REQUIRE(r.status == 201u);
    check_seed_shape("customer_create_response", r.body);
    const auto id = id_member(r.body, "customerID");
    BOOST_TEST(id == 10623);
    const auto created = parse(r.body);
    BOOST_TEST(created.find("Contact")->find("Password") == nullptr);
    BOOST_TEST(created.find("ActiveSubs")->text() == "1");

    const auto path = "/v1/customers/" + std::to_string(id);
    r = sb.put(path, seed("customer_update_request"));
    BOOST_TEST(r.status == 204u);
    BOOST_TEST(r.body.empty());
    r = sb.get(path);
    BOOST_TEST(parse(r.body).find("Reference")->text() == "cust-00001");
    BOOST_TEST(parse(r.body).find("Name")->text() == "Jason");

    BOOST_TEST(sb.put(path + "/archive").status == 204u);
    auto got = parse(sb.get(path).body);
    BOOST_TEST(!got.find("isActive")->as_bool());
    BOOST_TEST(got.find("comp_status")->text() == "Archived");
    BOOST_TEST(sb.put(path + "/reopen").status == 204u);
    BOOST_TEST(parse(sb.get(path).body).find("isActive")->as_bool());

    r = sb.get(path + "/subscriptions");
    BOOST_TEST(r.status == 200u);
    BOOST_TEST(parse(r.body).items().size() == 1u);

    BOOST_TEST(sb.del(path).status == 204u);
    r = sb.get(path);
    BOOST_TEST(r.status == 410u);
    BOOST_TEST(r.body == R"({"Errors":[{"Message":"Cannot find Customer for this Account"}]})");
    BOOST_TEST(sb.del(path).status == 410u);
    BOOST_TEST(sb.put(path + "/archive").status == 410u);
    BOOST_TEST(sb.put(path, seed("customer_update_request")).status == 410u);
    BOOST_TEST(sb.get("/v1/customers/with_customfields/" + std::to_string(id)).status == 410u);
}

BOOST_AUTO_TEST_CASE(paging) {
    running_sandbox sb;
    BOOST_TEST(sb.control.request(http::verb::post, "/_sandbox/customers/bulk?count=450").status == 201u);
    auto page = [&](const std::string& q) { return parse(sb.get("/v1/customers" + q).body).items().size(); };
    BOOST_TEST(page("") == 100u);
    BOOST_TEST(page("?page_size=200") == 200u);
    BOOST_TEST(page("?page=3&page_size=200") == 56u);  // 456 customers
    BOOST_TEST(page("?page=4&page_size=200") == 0u);
    auto r = sb.get("/v1/customers?page_size=500");
    BOOST_TEST(r.status == 400u);
    BOOST_TEST(error_message(r.body).find("page_size") != std::string::npos);
    BOOST_TEST(sb.get("/v1/customers?page=0").status == 400u);
    BOOST_TEST(sb.get("/v1/customers?page=abc").status == 400u);
    BOOST_TEST(sb.get("/v1/customers/with_customfields?page_size=201").status == 400u);
    r = sb.post("/v1/by_customer_ids?page=2&page_size=1", R"({"ids":[300,302]})");
    BOOST_TEST(r.status == 200u);
    BOOST_TEST(parse(r.body).items()[0].find("customerID")->text() == "300");
    BOOST_TEST(sb.post("/v1/by_customer_ids?page_size=500", R"({"ids":[300]})").status == 400u);
    auto first = parse(sb.get("/v1/customers?page=1&page_size=3").body);
    BOOST_TEST(first.items()[0].find("customerID")->text() == "302");  // creation order
}

BOOST_AUTO_TEST_CASE(bad_input) {
    running_sandbox sb;
    auto r = sb.post("/v1/customers", "{\"Name\": ");
    BOOST_TEST(r.status == 400u);
    BOOST_TEST(error_message(r.body).find("not valid JSON") != std::string::npos);
    r = sb.post("/v1/customers", R"({"Name":"x","isWaiveTaxes":false})");
    BOOST_TEST(r.status == 400u);
    BOOST_TEST(error_message(r.body) == "The CurrencyCode field is required.");
    r = sb.put("/v1/customers/302", R"({"Name":"x","CurrencyCode":"ZAR"})");
    BOOST_TEST(r.status == 400u);
    BOOST_TEST(error_message(r.body) == "The isWaiveTaxes field is required.");
    r = sb.put("/v1/customers/302", R"({"CurrencyCode":"ZAR","isWaiveTaxes":"no"})");
    BOOST_TEST(r.status == 400u);
    BOOST_TEST(error_message(r.body).find("isWaiveTaxes") != std::string::npos);
    r = sb.post("/v1/customers", R"({"CurrencyCode":"ZAR","isWaiveTaxes":false,"Subscriptions":[{"packageID":1}]})");
    BOOST_TEST(r.status == 400u);
    BOOST_TEST(error_message(r.body).find("Subscriptions[0]") != std::string::npos);
    r = sb.post("/v1/by_customer_ids", R"({"ids":"300"})");
    BOOST_TEST(r.status == 400u);
    r = sb.post("/v1/by_customer_ids", "");
    BOOST_TEST(r.status == 400u);
    // Nothing was written by any of them.
    BOOST_TEST(parse(sb.get("/v1/customers").body).items().size() == 6u);
    r = sb.get("/v1/customers/abc");
    BOOST_TEST(r.status == 404u);
    error_message(r.body);
    r = sb.client.request(http::verb::patch, "/v1/customers/302");
    BOOST_TEST(r.status == 405u);
    BOOST_TEST(sb.get("/v1/nowhere").status == 404u);
    BOOST_TEST(sb.get("/elsewhere").status == 404u);
}

BOOST_AUTO_TEST_CASE(atomic_create_with_subscriptions) {
    running_sandbox sb;
    auto doc = seed("customer_create_request");
    // Six subscriptions: refused, and nothing is written.
    const auto start = doc.find("\"Subscriptions\": [") + 18;
    const auto end = doc.find("\n  ],", start);
    const auto one = doc.substr(start, end - start);
    std::string six = doc.substr(0, start);
    for (int i = 0; i < 6; ++i) six += (i ? "," : "") + one;
    six += doc.substr(end);
    auto r = sb.post("/v1/customers", six);
    BOOST_TEST(r.status == 400u);
    BOOST_TEST(error_message(r.body).find("at most 5") != std::string::npos);
    BOOST_TEST(parse(sb.get("/v1/customers").body).items().size() == 6u);
    BOOST_TEST(parse(sb.get("/v1/subscriptions").body).items().size() == 5u);
    BOOST_TEST(parse(sb.get("/v1/customercontacts").body).items().size() == 1u);
}
