// Autopay (4.1.7) and the deprecated addCustomerAndOrder through the real gateway and
// sandbox: what reached Billagain, and that no payment secret ever comes back out.
#define BOOST_TEST_MODULE gateway_autopay_and_orders
#include <boost/test/unit_test.hpp>

#include "gateway_stack.hpp"

using namespace gateway_test;

namespace {

// ACH element names are assumed (mappings/autopay.yaml); the seed shows only the card.
const std::string ach_xml = R"(<autopay>
<paymentMethodDTO type="ACH">
<achPaymentMethod>
<autopayPreference>2</autopayPreference>
<accountHolderName>Bill Joseph</accountHolderName>
<accountNumber>)" + std::string(secrets::bank_account_number) + R"(</accountNumber>
<routingNumber>)" + std::string(secrets::routing_number) + R"(</routingNumber>
<accountType>Checking</accountType>
</achPaymentMethod>
</paymentMethodDTO>
</autopay>)";

// What must never come back: the known secrets (the card number and CVV, the ACH account
// and routing numbers among them), and no CVV or routing number element at all.
void no_secrets_in(const std::string& text) {
    for (const auto& s : secrets::all()) BOOST_TEST(text.find(s.value) == std::string::npos, s.name << " in " << text);
    for (const char* element : {"<cvv>", "<routingNumber>"}) BOOST_TEST(text.find(element) == std::string::npos, text);
}

const std::string card_number(secrets::card_number);

std::string subscription_order(const std::string& package, const std::string& start = "2016-12-15") {
    return "<subscriptionOrder>\n<packageId>" + package +
           "</packageId>\n<packageRateTermId>10843</packageRateTermId>\n<startDate>" + start +
           "</startDate>\n<term>1</term>\n<termUnits>Months</termUnits>\n<daysBeforeInvoice>1</daysBeforeInvoice>\n"
           "<components>\n<component>\n<componentId>10111</componentId>\n<componentVersion>1</componentVersion>\n"
           "<quantity>1</quantity>\n</component>\n</components>\n</subscriptionOrder>\n";
}

// The seed's customer (with `ref`) and these orders inside <addCustomerAndOrder>.
std::string add_customer_and_order(const std::string& ref, const std::string& orders) {
    const std::string customer = customer_xml(ref);
    return "<addCustomerAndOrder>\n" + customer + "\n<subscriptionOrders>\n" + orders +
           "</subscriptionOrders>\n</addCustomerAndOrder>";
}

std::string orders(int n) {
    static const char* const packages[] = {"305", "291", "275", "287", "290", "305"};
    std::string out;
    for (int i = 0; i < n; ++i) out += subscription_order(packages[i]);
    return out;
}

}  // namespace

BOOST_FIXTURE_TEST_CASE(seed_card_by_id_with_put_and_validate, gateway_stack) {
    const auto id = create_customer("bj444");
    auto r = put("/rest/customer/" + id + "/autopay?format=xml&validate=true", seed_autopay_xml);
    BOOST_TEST_REQUIRE(r.status == 200u, r.body);
    BOOST_TEST(r.body.find("<success>True</success>") != std::string::npos, r.body);
    no_secrets_in(r.body);

    auto methods = upstream.get("/v1/customers/" + id + "/paymentmethods");
    BOOST_TEST(occurrences(methods.body, "\"paymentMethodID\"") == 1u, methods.body);
    BOOST_TEST(member_of(methods.body, "PaymentMethodType") == "\"credit_card\"");
    BOOST_TEST(member_of(methods.body, "isPrimary") == "true");
    BOOST_TEST(member_of(methods.body, "NameOnCard") == "\"John\"");
    BOOST_TEST(member_of(methods.body, "LastNameOnCard") == "\"Villanova\"");
    BOOST_TEST(member_of(methods.body, "CardType") == "\"Visa\"");
    BOOST_TEST(member_of(methods.body, "ExpiryMonth") == "12");
    BOOST_TEST(member_of(methods.body, "ExpiryYear") == "2010");
    BOOST_TEST(member_of(methods.body, "LastFourDigits") == "\"" + std::string(secrets::card_last_four) + "\"");
}

BOOST_FIXTURE_TEST_CASE(card_and_ach_by_reference_with_post_then_listed_masked, gateway_stack) {
    const auto id = create_customer("bj444");
    auto card = post("/rest/customer/autopay?format=xml&extCustomerRef=bj444&validate=true", seed_autopay_xml);
    BOOST_TEST_REQUIRE(card.status == 200u, card.body);
    auto ach = post("/rest/customer/" + id + "/autopay?format=xml", ach_xml);
    BOOST_TEST_REQUIRE(ach.status == 200u, ach.body);
    no_secrets_in(card.body);
    no_secrets_in(ach.body);

    auto methods = upstream.get("/v1/customers/" + id + "/paymentmethods");
    BOOST_TEST(occurrences(methods.body, "\"paymentMethodID\"") == 2u, methods.body);
    BOOST_TEST(methods.body.find(R"("PaymentMethodType":"bank_account")") != std::string::npos, methods.body);
    BOOST_TEST(methods.body.find(R"("AccountHolder":"Bill Joseph")") != std::string::npos, methods.body);
    BOOST_TEST(methods.body.find("\"LastFourDigits\":\"" + std::string(secrets::bank_account_last_four) + "\"") !=
                   std::string::npos, methods.body);
    // The card keeps preference 1 (Billagain's primary); the account is not primary.
    BOOST_TEST(member_of(methods.body, "isPrimary") == "true");

    for (const std::string& target : {"/rest/customer/" + id + "/autopay?format=xml",
                                     std::string("/rest/customer/autopay?format=xml&extCustomerRef=bj444")}) {
        auto listed = get(target);
        BOOST_TEST_REQUIRE(listed.status == 200u, listed.body);
        BOOST_TEST(listed.body.find("<list>") != std::string::npos, listed.body);
        BOOST_TEST(occurrences(listed.body, "<paymentMethodDTO ") == 2u, listed.body);
        BOOST_TEST(listed.body.find(R"(type="CreditCard")") != std::string::npos, listed.body);
        BOOST_TEST(listed.body.find(R"(type="ACH")") != std::string::npos, listed.body);
        BOOST_TEST(element_text(listed.body, "creditCardPaymentMethod").find("<autopayPreference>1</autopayPreference>") !=
                       std::string::npos, listed.body);
        BOOST_TEST(element_text(listed.body, "achPaymentMethod").find("<autopayPreference>2</autopayPreference>") !=
                       std::string::npos, listed.body);
        // The masked forms: the last four digits and none of the first.
        BOOST_TEST(element_text(listed.body, "cardNumber").ends_with(secrets::card_last_four), listed.body);
        BOOST_TEST(element_text(listed.body, "cardNumber").find(card_number.substr(0, 4)) == std::string::npos, listed.body);
        BOOST_TEST(element_text(listed.body, "accountNumber").ends_with(secrets::bank_account_last_four), listed.body);
        BOOST_TEST(element_text(listed.body, "accountNumber").find(std::string(secrets::bank_account_number).substr(0, 4)) ==
                       std::string::npos, listed.body);
        no_secrets_in(listed.body);
        BOOST_TEST(listed.body.find("Token") == std::string::npos);
        // The card's billingAddress has no Billagain field: the gateway kept it (issue 12).
        const auto card_listed = element_text(listed.body, "creditCardPaymentMethod");
        BOOST_TEST(card_listed.find("<billingAddress><street1>9872 Central St</street1><city>Anytown</city>"
                                    "<state>AK</state><zip>11001</zip><country>USA</country></billingAddress>") !=
                       std::string::npos, listed.body);
        BOOST_TEST(element_text(listed.body, "achPaymentMethod").find("billingAddress") == std::string::npos);
    }
    BOOST_TEST(methods.body.find("Central") == std::string::npos, methods.body);
    BOOST_TEST(methods.body.find("GatewayKept") == std::string::npos, methods.body);
    // Nor does the customer graph carry any of it.
    auto graph = get("/rest/customer/" + id);
    no_secrets_in(graph.body);
    BOOST_TEST(graph.body.find("PaymentMethod") == std::string::npos, graph.body);

    gateway->terminate();
    const auto log = gateway->output();
    no_secrets_in(log);
}

BOOST_FIXTURE_TEST_CASE(the_same_preference_replaces_the_method_on_file, gateway_stack) {
    const auto id = create_customer("bj444");
    BOOST_TEST_REQUIRE(put("/rest/customer/" + id + "/autopay", seed_autopay_xml).status == 200u);
    BOOST_TEST_REQUIRE(put("/rest/customer/" + id + "/autopay", ach_xml).status == 200u);
    std::string second_card = seed_autopay_xml;
    second_card.replace(second_card.find(card_number), card_number.size(), secrets::more_card_numbers[0]);
    auto r = put("/rest/customer/" + id + "/autopay", second_card);
    BOOST_TEST_REQUIRE(r.status == 200u, r.body);

    auto methods = upstream.get("/v1/customers/" + id + "/paymentmethods");
    BOOST_TEST(occurrences(methods.body, "\"paymentMethodID\"") == 2u, methods.body);
    BOOST_TEST(methods.body.find("\"LastFourDigits\":\"" + std::string(secrets::card_last_four) + "\"") ==
                   std::string::npos, methods.body);
    auto listed = get("/rest/customer/" + id + "/autopay");
    BOOST_TEST(element_text(listed.body, "cardNumber").find("4444") != std::string::npos, listed.body);
    BOOST_TEST(element_text(listed.body, "creditCardPaymentMethod").find("<autopayPreference>1</autopayPreference>") !=
                   std::string::npos, listed.body);
}

// The seed's card with another number and preference, for preference bookkeeping.
std::string card_with(std::string_view number, int preference) {
    std::string xml = seed_autopay_xml;
    xml.replace(xml.find(card_number), card_number.size(), number);
    xml.replace(xml.find("<autopayPreference>1<"), 21, "<autopayPreference>" + std::to_string(preference) + "<");
    return xml;
}

// The autopayPreference listed for the method whose masked number ends in `last4`.
std::string preference_of(const std::string& listed, const std::string& last4) {
    for (auto at = listed.find("<paymentMethodDTO"); at != std::string::npos; at = listed.find("<paymentMethodDTO", at + 1)) {
        const auto item = listed.substr(at, listed.find("</paymentMethodDTO>", at) - at);
        if (element_text(item, "cardNumber").ends_with(last4)) return element_text(item, "autopayPreference");
    }
    return "<absent>";
}

BOOST_FIXTURE_TEST_CASE(preferences_two_and_three_are_kept_in_order, gateway_stack) {
    const auto id = create_customer("bj444");
    const auto& more = secrets::more_card_numbers;  // ending 4444, 1881, 0005
    BOOST_TEST_REQUIRE(put("/rest/customer/" + id + "/autopay", card_with(card_number, 1)).status == 200u);
    BOOST_TEST_REQUIRE(put("/rest/customer/" + id + "/autopay", card_with(more[0], 3)).status == 200u);
    BOOST_TEST_REQUIRE(put("/rest/customer/" + id + "/autopay", card_with(more[1], 2)).status == 200u);
    auto listed = get("/rest/customer/" + id + "/autopay").body;
    BOOST_TEST(preference_of(listed, std::string(secrets::card_last_four)) == "1", listed);
    BOOST_TEST(preference_of(listed, "4444") == "3", listed);
    BOOST_TEST(preference_of(listed, "1881") == "2", listed);

    // A new 3 replaces the old 3 only; the 2 and the 1 stay.
    BOOST_TEST_REQUIRE(put("/rest/customer/" + id + "/autopay", card_with(more[2], 3)).status == 200u);
    listed = get("/rest/customer/" + id + "/autopay").body;
    BOOST_TEST(occurrences(listed, "<paymentMethodDTO") == 3u, listed);
    BOOST_TEST(preference_of(listed, "4444") == "<absent>", listed);
    BOOST_TEST(preference_of(listed, "0005") == "3", listed);
    BOOST_TEST(preference_of(listed, "1881") == "2", listed);
    BOOST_TEST(preference_of(listed, std::string(secrets::card_last_four)) == "1", listed);
    // Billagain never saw the preference number.
    auto methods = upstream.get("/v1/customers/" + id + "/paymentmethods");
    BOOST_TEST(methods.body.find("AutopayPreference") == std::string::npos, methods.body);
    BOOST_TEST(occurrences(methods.body, "\"paymentMethodID\"") == 3u, methods.body);
}

BOOST_FIXTURE_TEST_CASE(autopay_refuses_bad_documents_and_missing_customers, gateway_stack) {
    const auto id = create_customer("bj444");
    reset_stats();
    BOOST_TEST(put("/rest/customer/" + id + "/autopay", "").status == 400u);
    auto unknown = put("/rest/customer/" + id + "/autopay",
                       "<autopay><paymentMethodDTO type=\"CreditCard\"><creditCardPaymentMethod><pin>1</pin>"
                       "</creditCardPaymentMethod></paymentMethodDTO></autopay>");
    BOOST_TEST(unknown.status == 400u, unknown.body);
    BOOST_TEST(unknown.body.find("creditCardPaymentMethod/pin") != std::string::npos, unknown.body);
    auto bad_type = put("/rest/customer/" + id + "/autopay",
                        "<autopay><paymentMethodDTO type=\"Bitcoin\"/></autopay>");
    BOOST_TEST(bad_type.status == 400u, bad_type.body);
    BOOST_TEST(put("/rest/customer/" + id + "/autopay?validate=perhaps", seed_autopay_xml).status == 400u);
    BOOST_TEST(upstream_requests("POST /v1/paymentmethods/creditcard") == 0u);
    BOOST_TEST(put("/rest/customer/999999/autopay", seed_autopay_xml).status == 404u);
    BOOST_TEST(get("/rest/customer/autopay?extCustomerRef=nobody").status == 404u);
    BOOST_TEST(del("/rest/customer/" + id + "/autopay").status == 405u);
}

// 4.1.7: validate=true has the card checked by the payment gateway. Billagain stores the
// method and says isValid (the sandbox: false for a number failing the Luhn check); the
// gateway removes an invalid one again, keeps the primary it would have replaced, and answers 400.
BOOST_FIXTURE_TEST_CASE(validate_true_refuses_an_invalid_card_and_keeps_the_old_one, gateway_stack) {
    const auto id = create_customer("bj444");
    BOOST_TEST_REQUIRE(put("/rest/customer/" + id + "/autopay?format=xml", seed_autopay_xml).status == 200u);
    const auto before = upstream.get("/v1/customers/" + id + "/paymentmethods").body;
    const auto old_id = member_of(before, "paymentMethodID");

    std::string invalid = seed_autopay_xml;
    invalid.replace(invalid.find(card_number), card_number.size(), "4000056655665557");  // Luhn fails
    auto refused = put("/rest/customer/" + id + "/autopay?format=xml&validate=true", invalid);
    BOOST_TEST(refused.status == 400u, refused.body);
    BOOST_TEST(element_text(refused.body, "error") ==
               "the payment method was not accepted as valid (validate=true); it was not saved");
    no_secrets_in(refused.body);
    BOOST_TEST(refused.body.find("4000056655665557") == std::string::npos);

    const auto after = upstream.get("/v1/customers/" + id + "/paymentmethods").body;
    BOOST_TEST(occurrences(after, "\"paymentMethodID\"") == 1u, after);
    BOOST_TEST(member_of(after, "paymentMethodID") == old_id);
    BOOST_TEST(member_of(after, "isPrimary") == "true");

    // Without validate=true BluBilling stores the card unchecked, and so does the gateway.
    auto unchecked = put("/rest/customer/" + id + "/autopay?format=xml", invalid);
    BOOST_TEST(unchecked.status == 200u, unchecked.body);
    const auto stored = upstream.get("/v1/customers/" + id + "/paymentmethods").body;
    BOOST_TEST(occurrences(stored, "\"paymentMethodID\"") == 1u, stored);
    BOOST_TEST(member_of(stored, "isValid") == "false");
}

// FACTS.md names tokenPaymentMethod; Billagain cannot import a token. A clear 400 saying
// so (never "unknown element"), and nothing written.
BOOST_FIXTURE_TEST_CASE(a_token_payment_method_is_refused_by_name, gateway_stack) {
    const auto id = create_customer("bj444");
    reset_stats();
    for (const char* type : {"Token", "CreditCard"}) {
        auto r = post("/rest/customer/" + id + "/autopay?format=xml",
                      std::string("<autopay><paymentMethodDTO type=\"") + type +
                          "\"><tokenPaymentMethod><autopayPreference>1</autopayPreference><token>tok_9f8e7d</token>"
                          "</tokenPaymentMethod></paymentMethodDTO></autopay>");
        BOOST_TEST(r.status == 400u, r.body);
        const auto message = element_text(r.body, "error");
        BOOST_TEST(message.find("paymentMethodDTO/tokenPaymentMethod") != std::string::npos, message);
        BOOST_TEST(message.find("Billagain cannot store a payment token") != std::string::npos, message);
        BOOST_TEST(message.find("unknown") == std::string::npos, message);
        BOOST_TEST(r.body.find("tok_9f8e7d") == std::string::npos, r.body);
    }
    BOOST_TEST(gateway_requests() == 0u);
}

BOOST_FIXTURE_TEST_CASE(add_customer_and_order_with_one_order, gateway_stack) {
    reset_stats();
    auto r = post("/rest/customers?format=xml&actionName=addCustomerAndOrder", add_customer_and_order("bj444", orders(1)));
    BOOST_TEST_REQUIRE(r.status == 201u, r.body);
    BOOST_TEST(upstream_requests("POST /v1/customers") == 1u);  // one atomic create
    BOOST_TEST(upstream_requests("POST /v1/subscriptions") == 0u);
    BOOST_TEST(r.body.find("<addCustomerAndOrderResponse><customer id=\"") != std::string::npos, r.body);
    const auto id = id_of(r.body, "customer");
    BOOST_TEST(element_text(r.body, "extCustomerRef") == "bj444");
    BOOST_TEST(occurrences(r.body, "<subscriptionOrder id=\"") == 1u, r.body);
    BOOST_TEST(element_text(r.body, "packageId") == "305");
    BOOST_TEST(element_text(r.body, "startDate") == "2016-12-15");
    no_secrets_in(r.body);

    auto subs = upstream.get("/v1/customers/" + id + "/subscriptions");
    BOOST_TEST(occurrences(subs.body, "\"subscriptionID\"") == 1u, subs.body);
    BOOST_TEST(member_of(subs.body, "packageID") == "305");
    BOOST_TEST(member_of(subs.body, "packageRateTermID") == "10843");
    BOOST_TEST(member_of(subs.body, "Term") == "1");
    BOOST_TEST(member_of(subs.body, "componentID") == "10111");
    BOOST_TEST(id_of(r.body, "subscriptionOrder") == member_of(subs.body, "subscriptionID"));
    // The seed customer's locale has no Billagain field: kept through this create path too.
    auto read = get("/rest/customer?extCustomerRef=bj444");
    BOOST_TEST_REQUIRE(read.status == 200u);
    BOOST_TEST(element_text(read.body, "locale") == "en_US", read.body);
    BOOST_TEST(upstream.get("/v1/customers/" + id).body.find("en_US") == std::string::npos);
}

BOOST_FIXTURE_TEST_CASE(add_customer_and_order_with_five_orders, gateway_stack) {
    reset_stats();
    auto r = post("/rest/customers?actionName=addCustomerAndOrder", add_customer_and_order("bj444", orders(5)));
    BOOST_TEST_REQUIRE(r.status == 201u, r.body);
    BOOST_TEST(upstream_requests("POST /v1/customers") == 1u);
    BOOST_TEST(occurrences(r.body, "<subscriptionOrder id=\"") == 5u, r.body);
    const auto id = id_of(r.body, "customer");
    auto subs = upstream.get("/v1/customers/" + id + "/subscriptions");
    BOOST_TEST(occurrences(subs.body, "\"subscriptionID\"") == 5u, subs.body);
    for (const char* package : {"305", "291", "275", "287", "290"}) {
        BOOST_TEST(subs.body.find(std::string("\"packageID\":") + package) != std::string::npos, package);
    }
}

BOOST_FIXTURE_TEST_CASE(six_orders_are_refused_and_nothing_is_created, gateway_stack) {
    const auto customers = sandbox_customers();
    reset_stats();
    auto r = post("/rest/customers?actionName=addCustomerAndOrder", add_customer_and_order("bj444", orders(6)));
    BOOST_TEST(r.status == 400u, r.body);
    BOOST_TEST(element_text(r.body, "error").find("subscriptionOrder") != std::string::npos, r.body);
    BOOST_TEST(upstream_requests() == 0u);
    BOOST_TEST(sandbox_customers() == customers);
}

BOOST_FIXTURE_TEST_CASE(an_invalid_order_creates_nothing, gateway_stack) {
    const auto customers = sandbox_customers();
    // Refused by the gateway: a date that is no date.
    auto bad_date = post("/rest/customers?actionName=addCustomerAndOrder",
                         add_customer_and_order("bj444", orders(1) + subscription_order("291", "2016-13-45")));
    BOOST_TEST(bad_date.status == 400u, bad_date.body);
    BOOST_TEST(element_text(bad_date.body, "error").find("startDate") != std::string::npos, bad_date.body);

    // Refused by Billagain: the second order lacks its rate term. The first order and the
    // customer must not be left behind.
    std::string incomplete = subscription_order("291");
    const std::string rate = "<packageRateTermId>10843</packageRateTermId>\n";
    incomplete.erase(incomplete.find(rate), rate.size());
    auto refused = post("/rest/customers?actionName=addCustomerAndOrder",
                        add_customer_and_order("bj444", orders(1) + incomplete));
    BOOST_TEST(refused.status == 400u, refused.body);
    BOOST_TEST(element_text(refused.body, "error").find("packageRateTermID") != std::string::npos, refused.body);

    BOOST_TEST(sandbox_customers() == customers);
    BOOST_TEST(get("/rest/customer?extCustomerRef=bj444").status == 404u);
}

BOOST_FIXTURE_TEST_CASE(add_customer_and_order_refuses_a_reference_in_use, gateway_stack) {
    create_customer("bj444");
    reset_stats();
    auto r = post("/rest/customers?actionName=addCustomerAndOrder", add_customer_and_order("bj444", orders(1)));
    BOOST_TEST(r.status == 400u, r.body);
    BOOST_TEST(upstream_requests("POST /v1/customers") == 0u);
}

BOOST_FIXTURE_TEST_CASE(check_and_cash_set_how_the_customer_pays, gateway_stack) {
    // Billagain stores no cheque or cash method: it is the customer's PaymentMethod setting.
    auto before = upstream.get("/v1/customers/300");
    auto r = put("/rest/customer/autopay?extCustomerRef=123123111",
                 R"(<autopay><paymentMethodDTO type="Check"><checkPaymentMethod><autopayPreference>1</autopayPreference></checkPaymentMethod></paymentMethodDTO></autopay>)");
    BOOST_TEST_REQUIRE(r.status == 200u, r.body);
    BOOST_TEST(r.body.find("<success>True</success>") != std::string::npos, r.body);
    auto after = upstream.get("/v1/customers/300");
    BOOST_TEST(member_of(after.body, "PaymentMethod") == "\"cheque\"");
    for (const char* kept : {"isWaiveTaxes", "Name", "Reference", "EmailCC", "Balance", "City"}) {
        BOOST_TEST(member_of(after.body, kept) == member_of(before.body, kept), kept);
    }
    BOOST_TEST(post("/rest/customer/300/autopay",
                    R"(<autopay><paymentMethodDTO type="Cash"><cashPaymentMethod/></paymentMethodDTO></autopay>)")
                   .status == 200u);
    BOOST_TEST(member_of(upstream.get("/v1/customers/300").body, "PaymentMethod") == "\"cash\"");
    BOOST_TEST(upstream.get("/v1/customers/300/paymentmethods").body == "[]");
}

BOOST_FIXTURE_TEST_CASE(a_sales_contact_travels_with_the_order_and_fails_it_whole, gateway_stack) {
    const std::string sales = "<salesContact><firstName>Sam</firstName><lastName>Seller</lastName></salesContact>\n";
    std::string with_sales = add_customer_and_order("bj444", orders(1));
    with_sales.insert(with_sales.find("</customer>"), sales);
    auto r = post("/rest/customers?actionName=addCustomerAndOrder", with_sales);
    BOOST_TEST_REQUIRE(r.status == 201u, r.body);
    const auto id = id_of(r.body, "customer");
    BOOST_TEST(id_of(r.body, "salesContact") != "<absent>", r.body);
    auto contacts = upstream.get("/v1/customers/" + id + "/contacts");
    BOOST_TEST(occurrences(contacts.body, "\"customerContactID\"") == 2u, contacts.body);

    // A sales contact Billagain refuses (no name, no email) takes the customer and its
    // orders away again.
    const auto customers = sandbox_customers();
    const auto subscriptions = occurrences(upstream.get("/v1/subscriptions?page_size=200").body, "\"subscriptionID\"");
    std::string refused = add_customer_and_order("bj555", orders(2));
    refused.insert(refused.find("</customer>"), "<salesContact><workPhone>1</workPhone></salesContact>\n");
    auto failed = post("/rest/customers?actionName=addCustomerAndOrder", refused);
    BOOST_TEST(failed.status == 400u, failed.body);
    BOOST_TEST(sandbox_customers() == customers);
    BOOST_TEST(occurrences(upstream.get("/v1/subscriptions?page_size=200").body, "\"subscriptionID\"") == subscriptions);
    BOOST_TEST(get("/rest/customer?extCustomerRef=bj555").status == 404u);
}
