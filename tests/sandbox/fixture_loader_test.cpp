#define BOOST_TEST_MODULE sandbox fixture_loader
#include "sandbox_test_support.hpp"

#include <sandbox/fixture_loader.hpp>

using namespace blubridge::sandbox;

BOOST_AUTO_TEST_CASE(shipped_fixture_loads_with_seed_ids) {
    const auto state = load_fixture_file(SANDBOX_FIXTURE);
    for (std::int64_t id : {302, 300, 10622, 268, 269, 303}) BOOST_TEST(state.customers.contains(id), id);
    for (std::int64_t id : {10207, 10186, 10205, 10185, 10206}) BOOST_TEST(state.subscriptions.contains(id), id);
    BOOST_TEST(state.customers.find(302)->balance == "500.5000");
    BOOST_TEST(state.customers.find(10622)->custom_fields.size() == 3u);
    BOOST_TEST(state.next_customer_id == 10623);
    BOOST_TEST(state.next_subscription_id == 10208);
    BOOST_TEST(state.package_names.at(291) == "AGENT-BASIC");
}

BOOST_AUTO_TEST_CASE(bad_fixtures_throw_with_the_place) {
    auto throws_with = [](const char* text, const char* needle) {
        try {
            fixture_from_json(text);
            BOOST_ERROR("no exception for " << text);
        } catch (const std::runtime_error& e) {
            BOOST_TEST(std::string(e.what()).find(needle) != std::string::npos, e.what());
        }
    };
    throws_with("{", "not valid JSON");
    throws_with("[]", "object");
    throws_with(R"({"customer":[]})", "unknown member");
    throws_with(R"({"customers":[{"customerID":1}]})", "customers[0]");
    throws_with(R"({"customers":[{"customerID":1,"CurrencyCode":"ZAR","CreatedDate":"bad"}]})", "CreatedDate");
    throws_with(R"({"customers":[{"customerID":1,"CurrencyCode":"ZAR","CreatedDate":"2016-01-01"},
                                 {"customerID":1,"CurrencyCode":"ZAR","CreatedDate":"2016-01-01"}]})",
                "duplicate");
    throws_with(R"({"subscriptions":[{"subscriptionID":1,"customerID":5,"packageID":1,"StartDate":"2016-01-01"}]})",
                "unknown customerID");
}
