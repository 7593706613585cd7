#define BOOST_TEST_MODULE sandbox requests
#include "sandbox_test_support.hpp"

#include <sandbox/paging.hpp>
#include <sandbox/requests.hpp>

using namespace blubridge::sandbox;
using sandbox_test::parse;
using sandbox_test::seed;

namespace {
template <class T>
std::string error_of(const result<T>& r) {
    BOOST_TEST_REQUIRE(!r.has_value());
    BOOST_TEST(r.error().status == 400u);
    return r.error().message;
}
}  // namespace

BOOST_AUTO_TEST_CASE(seed_requests_parse) {
    BOOST_TEST(parse_customer_create(parse(seed("customer_create_request"))).has_value());
    BOOST_TEST(parse_customer_update(parse(seed("customer_update_request"))).has_value());
    BOOST_TEST(parse_customer_ids(parse(seed("by_customer_ids_request"))).has_value());
    BOOST_TEST(parse_subscription(parse(seed("subscription_create_request"))).has_value());
    BOOST_TEST(parse_cancel(parse(seed("subscription_cancel_request"))).has_value());
    BOOST_TEST(parse_change_package(parse(seed("subscription_change_package_request"))).has_value());
    BOOST_TEST(parse_change_term(parse(seed("subscription_change_term_request"))).has_value());
    BOOST_TEST(parse_change_start(parse(seed("subscription_change_start_date_request"))).has_value());
    BOOST_TEST(parse_change_end(parse(seed("subscription_change_end_date_request"))).has_value());
    BOOST_TEST(parse_reactivate(parse(seed("subscription_reactivate_request"))).has_value());
    BOOST_TEST(parse_modify_components(parse(seed("subscription_components_modify_request"))).has_value());
    BOOST_TEST(parse_record_usage(parse(seed("subscription_record_usage_request"))).has_value());
}

BOOST_AUTO_TEST_CASE(customer_values_as_billagain_reads_them) {
    auto c = parse_customer_create(parse(seed("customer_create_request")));
    BOOST_TEST_REQUIRE(c.has_value());
    BOOST_TEST(*c->fields.registration_number == "123123");  // number in, text kept
    BOOST_TEST(c->fields.country_state_id.text == "1");
    BOOST_TEST((c->fields.country_state_id.type == raw_scalar::kind::string));
    BOOST_TEST(c->subscriptions.size() == 1u);
    BOOST_TEST(c->payment->number == "42424242424242");
    BOOST_TEST(*c->payment->expiry_month == 8);
    BOOST_TEST(c->contact->name.value() == "Joe");
}

BOOST_AUTO_TEST_CASE(required_fields_are_named) {
    BOOST_TEST(error_of(parse_customer_update(parse(R"({"isWaiveTaxes":true})"))) == "The CurrencyCode field is required.");
    BOOST_TEST(error_of(parse_customer_update(parse(R"({"CurrencyCode":"ZAR"})"))) == "The isWaiveTaxes field is required.");
    BOOST_TEST(error_of(parse_customer_create(parse(R"({"CurrencyCode":null,"isWaiveTaxes":true})"))) ==
               "The CurrencyCode field is required.");
    BOOST_TEST(error_of(parse_subscription(parse(R"({"customerID":1,"packageID":2,"packageRateTermID":3,"Term":1,"TermType":"months"})")))
                   .find("StartDate") != std::string::npos);
    BOOST_TEST(error_of(parse_cancel(parse(R"({"CancelType":"renewal"})"))).find("CreditType") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(wrong_types_are_named) {
    BOOST_TEST(error_of(parse_customer_update(parse(R"({"CurrencyCode":"ZAR","isWaiveTaxes":"yes"})"))) ==
               "The value 'yes' is not valid for isWaiveTaxes.");
    BOOST_TEST(error_of(parse_customer_update(parse(R"({"CurrencyCode":"ZAR","isWaiveTaxes":true,"countryID":"abc"})")))
                   .find("countryID") != std::string::npos);
    BOOST_TEST(error_of(parse_customer_update(parse(R"({"CurrencyCode":"ZAR","isWaiveTaxes":true,"Name":{"a":1}})")))
                   .find("Name") != std::string::npos);
    BOOST_TEST(error_of(parse_customer_update(parse(R"({"CurrencyCode":"RANDS","isWaiveTaxes":true})")))
                   .find("CurrencyCode") != std::string::npos);
    BOOST_TEST(error_of(parse_customer_create(parse(R"({"CurrencyCode":"ZAR","isWaiveTaxes":true,"CountryCode":"XX"})")))
                   .find("CountryCode") != std::string::npos);
    BOOST_TEST(error_of(parse_customer_update(parse(R"({"CurrencyCode":"ZAR","isWaiveTaxes":true,"StatementDay":31})")))
                   .find("StatementDay") != std::string::npos);
    BOOST_TEST(error_of(parse_customer_ids(parse(R"({"ids":[1,"x"]})"))).find("ids") != std::string::npos);
    BOOST_TEST(error_of(parse_customer_ids(parse(R"([1,2])"))) == "The request body must be a JSON object.");
    BOOST_TEST(error_of(parse_change_end(parse(R"({"EndDate":"someday"})"))) ==
               "The value 'someday' is not valid for EndDate.");
}

BOOST_AUTO_TEST_CASE(at_most_five_subscriptions_on_create) {
    auto doc = parse(seed("customer_create_request"));
    for (auto& m : doc.members())
        if (m.first == "Subscriptions") {
            const auto one = m.second.items()[0];
            for (int i = 0; i < 5; ++i) m.second.items().push_back(one);
        }
    BOOST_TEST(error_of(parse_customer_create(doc)).find("at most 5") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(card_numbers_are_never_echoed_in_errors) {
    auto msg = error_of(parse_payment_method(
        parse(R"({"customerID":1,"CreditCard":{"Number":"4111-1111-11x","ExpiryMonth":1,"ExpiryYear":2030}})"),
        payment_method::kind::credit_card));
    BOOST_TEST(msg.find("4111") == std::string::npos);
    BOOST_TEST(msg.find("CreditCard.Number") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(malformed_json_is_a_400) {
    auto r = parse_body("{\"a\":");
    BOOST_TEST(error_of(r).starts_with("The request body is not valid JSON"));
    BOOST_TEST(error_of(parse_body("")) == "The request body is required.");
}

BOOST_AUTO_TEST_CASE(paging_parameters) {
    auto p = parse_paging(std::nullopt, std::nullopt);
    BOOST_TEST(p->page == 1u);
    BOOST_TEST(p->page_size == 100u);
    p = parse_paging(std::string_view("3"), std::string_view("200"));
    BOOST_TEST(p->offset() == 400u);
    BOOST_TEST(error_of(parse_paging(std::nullopt, std::string_view("500"))).find("page_size") != std::string::npos);
    BOOST_TEST(error_of(parse_paging(std::nullopt, std::string_view("201"))).find("page_size") != std::string::npos);
    BOOST_TEST(error_of(parse_paging(std::nullopt, std::string_view("0"))).find("page_size") != std::string::npos);
    BOOST_TEST(error_of(parse_paging(std::string_view("0"), std::nullopt)).find("page") != std::string::npos);
    BOOST_TEST(error_of(parse_paging(std::string_view("two"), std::nullopt)).find("page") != std::string::npos);
    BOOST_TEST(error_of(parse_paging(std::string_view("-1"), std::nullopt)).find("page") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(numbers_are_bounded) {
    auto doc = seed("subscription_create_request");
    auto with = [&](const std::string& from, const std::string& to) {
        auto d = doc;
        d.replace(d.find(from), from.size(), to);
        return parse_subscription(parse(d));
    };
    BOOST_TEST(error_of(with("\"Term\":1", "\"Term\":100000")).find("Term") != std::string::npos);
    BOOST_TEST(error_of(with("\"Term\":1", "\"Term\":0")).find("Term") != std::string::npos);
    BOOST_TEST(error_of(with("\"numDaysBeforeToInv\":1", "\"numDaysBeforeToInv\":-1")).find("numDaysBeforeToInv") !=
               std::string::npos);
    BOOST_TEST(error_of(with("\"NumUnits\":1", "\"NumUnits\":9223372036854775807")).find("NumUnits") !=
               std::string::npos);
    BOOST_TEST(error_of(with("\"NumUnits\":1", "\"NumUnits\":99999999999999999999")).find("NumUnits") !=
               std::string::npos);
}
