#define BOOST_TEST_MODULE sandbox contacts and payment methods over HTTP
#include "sandbox_http_support.hpp"

using namespace sandbox_test;

namespace {
const std::vector<std::string> contact_members{"customerID", "customerContactID", "Name", "LastName",
                                               "Email",      "Cell",              "Username", "isActive"};
const std::vector<std::string> card_method_members{"customerID", "paymentMethodID", "PaymentMethodType", "isPrimary",
                                                   "isValid",    "CreditCard",      "gatewayID"};
}  // namespace

BOOST_AUTO_TEST_CASE(customer_contacts) {
    running_sandbox sb;
    auto r = sb.get("/v1/customers/302/contacts");
    BOOST_TEST(r.status == 200u);
    BOOST_TEST(member_names(parse(r.body).items().at(0)) == contact_members);

    r = sb.post("/v1/customercontacts",
                R"({"customerID":300,"Name":"Joe","LastName":"Soap","Cell":"+27 789 789","Email":"soap@comp.com","isActive":true,"Password":"Pa$$123"})");
    BOOST_TEST_REQUIRE(r.status == 201u);
    BOOST_TEST(member_names(parse(r.body)) == contact_members);
    BOOST_TEST(r.body.find("Pa$$") == std::string::npos);
    const auto id = id_member(r.body, "customerContactID");
    const auto path = "/v1/customercontacts/" + std::to_string(id);
    BOOST_TEST(sb.get(path).status == 200u);
    BOOST_TEST(sb.put(path, R"({"Name":"Joseph","LastName":"Soap","Email":"j@comp.com","isActive":false})").status == 204u);
    auto got = parse(sb.get(path).body);
    BOOST_TEST(got.find("Name")->text() == "Joseph");
    BOOST_TEST(!got.find("isActive")->as_bool());
    BOOST_TEST(parse(sb.get("/v1/customercontacts").body).items().size() == 2u);
    BOOST_TEST(sb.del(path).status == 204u);
    BOOST_TEST(sb.get(path).status == 410u);
    BOOST_TEST(error_message(sb.get(path).body) == "Cannot find Customer Contact for this Account");
    BOOST_TEST(sb.post("/v1/customercontacts", R"({"customerID":4242,"Name":"x"})").status == 410u);
    BOOST_TEST(sb.post("/v1/customercontacts", R"({"Name":"x"})").status == 400u);
    BOOST_TEST(sb.get("/v1/customers/4242/contacts").status == 410u);
}

BOOST_AUTO_TEST_CASE(payment_methods) {
    running_sandbox sb;
    auto r = sb.get("/v1/customers/302/paymentmethods");
    BOOST_TEST(r.status == 200u);
    BOOST_TEST(member_names(parse(r.body).items().at(0)) == card_method_members);
    r = sb.get("/v1/paymentmethods/20406");
    BOOST_TEST(r.status == 200u);

    r = sb.post("/v1/paymentmethods/creditcard",
                R"({"customerID":300,"isPrimary":true,"CreditCard":{"NameOnCard":"John","LastNameOnCard":"Doe","Number":"4111111111111111","CardType":"VISA","ExpiryMonth":"08","ExpiryYear":"2030","CVV":"123"}})");
    BOOST_TEST_REQUIRE(r.status == 201u);
    BOOST_TEST(member_names(parse(r.body)) == card_method_members);
    BOOST_TEST(r.body.find("123\"") == std::string::npos);
    const auto card = id_member(r.body, "paymentMethodID");
    r = sb.get("/v1/paymentmethods/" + std::to_string(card));
    BOOST_TEST(parse(r.body).find("CreditCard")->find("LastFourDigits")->text() == "1111");
    BOOST_TEST(r.body.find("4111111111111111") == std::string::npos);
    auto customer = parse(sb.get("/v1/customers/300").body);
    BOOST_TEST(customer.find("PrimaryPaymentMethodInfo")->find("paymentMethodID")->text() == std::to_string(card));

    r = sb.post("/v1/paymentmethods/bankaccount",
                R"({"customerID":300,"isPrimary":false,"BankAccount":{"AccountHolder":"V Lawrence","AccountNumber":"62001234567","BranchCode":"250655","AccountType":"cheque"}})");
    BOOST_TEST_REQUIRE(r.status == 201u);
    BOOST_TEST(parse(r.body).find("BankAccount") != nullptr);
    BOOST_TEST(!parse(r.body).find("isPrimary")->as_bool());
    const auto bank = id_member(r.body, "paymentMethodID");
    BOOST_TEST(sb.put("/v1/paymentmethods/" + std::to_string(bank) + "/setprimary").status == 204u);
    customer = parse(sb.get("/v1/customers/300").body);
    BOOST_TEST(customer.find("PrimaryPaymentMethodInfo")->find("paymentMethodID")->text() == std::to_string(bank));
    BOOST_TEST(parse(sb.get("/v1/customers/300/paymentmethods").body).items().size() == 2u);
    BOOST_TEST(sb.del("/v1/paymentmethods/" + std::to_string(bank)).status == 204u);
    BOOST_TEST(sb.get("/v1/paymentmethods/" + std::to_string(bank)).status == 410u);
    BOOST_TEST(error_message(sb.get("/v1/paymentmethods/1").body) == "Cannot find Payment Method for this Account");
    BOOST_TEST(sb.put("/v1/paymentmethods/1/setprimary").status == 410u);

    BOOST_TEST(sb.post("/v1/paymentmethods/creditcard", R"({"customerID":300,"CreditCard":{"Number":"12","ExpiryMonth":1,"ExpiryYear":2030}})").status == 400u);
    BOOST_TEST(sb.post("/v1/paymentmethods/creditcard", R"({"customerID":300})").status == 400u);
    BOOST_TEST(sb.post("/v1/paymentmethods/bankaccount", R"({"customerID":4242,"BankAccount":{"AccountNumber":"123456"}})").status == 410u);
    BOOST_TEST(sb.get("/v1/customers/4242/paymentmethods").status == 410u);
}
