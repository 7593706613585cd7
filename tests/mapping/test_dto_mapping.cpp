// Conversions through the default mappings: every seed example in both directions,
// the round trip, and each pitfall issue 3 lists.

#define BOOST_TEST_MODULE mapping_dto_mapping
#include <boost/test/unit_test.hpp>

#include "test_support.hpp"

#include <blubridge/mapping/error.hpp>

#include <rapidjson/document.h>

using namespace blubridge::mapping;
using blubridge::mapping::test::canonical_xml;
using blubridge::mapping::test::data;
using blubridge::mapping::test::mapping;

namespace {

struct result {
    boost::system::error_code ec;
    std::string out;
    conversion_report report;
};

result in(std::string_view name, const std::string& xml)
{
    result r;
    r.ec = mapping(name).to_json(xml, r.out, r.report);
    return r;
}

result out(std::string_view name, const std::string& json)
{
    result r;
    r.ec = mapping(name).to_xml(json, r.out, r.report);
    return r;
}

rapidjson::Document parse(const std::string& json)
{
    rapidjson::Document d;
    d.Parse<rapidjson::kParseNumbersAsStringsFlag>(json.c_str());
    BOOST_REQUIRE(!d.HasParseError());
    return d;
}

const std::string decl = R"(<?xml version="1.0" encoding="UTF-8"?>)";

} // namespace

BOOST_AUTO_TEST_SUITE(seed_examples)

BOOST_AUTO_TEST_CASE(customer_post_to_billagain_json)
{
    const result r = in("customer", data("customer_post.xml"));
    BOOST_TEST_REQUIRE(!r.ec, r.ec.message() << ": " << r.report.path << " " << r.report.message);
    BOOST_TEST(r.out ==
               R"({"Name":"Bill","LastName":"Joseph","Reference":"bj444",)"
                   R"("GatewayKept":{"locale":"en_US","paymentTermsValue":30,"paymentTermsUnits":"days"},"isCompany":false,)"
               R"("CurrencyCode":"USD","isWaiveTaxes":false,)"
               R"("Contact":{"Username":"bill0004","Password":"Sachxwe001","Name":"Bill","LastName":"Joseph",)"
               R"("Email":"Bill@bmontgomery.com"},"Email":"Bill@bmontgomery.com","Tel":"324 555 879",)"
               R"("Address1":"43 Main Av","City":"Chicago","State":"IL","ZipCode":"12345","CountryCode":"US"})");
    BOOST_TEST(r.report.unknown.empty());
}

BOOST_AUTO_TEST_CASE(billagain_customer_get_to_xml)
{
    const result r = out("customer", data("customer_get.json"));
    BOOST_TEST_REQUIRE(!r.ec, r.ec.message() << ": " << r.report.path << " " << r.report.message);
    BOOST_TEST(r.out ==
               decl + R"(<customer id="10622"><name>Biscuits Biscuits </name><status>Active</status>)"
                      R"(<isBusinessAccount>true</isBusinessAccount><currency id="ZAR"/>)"
                      R"(<billingContact><emailPrimary/><workPhone/><mobilePhone/><fax/>)"
                      R"(<address><street1/><street2/><city/><state/><zip/>)"
                      R"(<country>South Africa</country><countryCode>zaf</countryCode></address></billingContact>)"
                      R"(<customerFinancials><balance>1728.0667</balance>)"
                      R"(<createdDate>2016-09-14T12:22:48.4214398+02:00</createdDate></customerFinancials></customer>)");
    // Never any payment-method data, token or custom data Billagain sends along.
    BOOST_TEST(r.out.find("f8f3b996") == std::string::npos);
    BOOST_TEST(r.out.find("20406") == std::string::npos);
}

BOOST_AUTO_TEST_CASE(billagain_create_output_to_xml_hides_card_digits)
{
    const result r = out("customer", data("customer_create_output.json"));
    BOOST_TEST_REQUIRE(!r.ec, r.ec.message() << ": " << r.report.path << " " << r.report.message);
    BOOST_TEST(r.out.find("42424242424242") == std::string::npos);
    BOOST_TEST(r.out.find("<name>Bricks Inc</name>") != std::string::npos);
    BOOST_TEST(r.out.find(R"(<billingContact id="10139"><username>SoeJ7tn</username>)") != std::string::npos);
    BOOST_TEST(r.out.find("<firstName>Joe</firstName><lastName>Soep</lastName>") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(billagain_list_to_xml_list)
{
    const result r = out("customer_list", data("customers_list.json"));
    BOOST_TEST_REQUIRE(!r.ec, r.ec.message() << ": " << r.report.path << " " << r.report.message);
    BOOST_TEST(r.out.rfind(decl + R"(<list><customer id="302"><name>Brielle Barnett</name>)", 0) == 0);
    BOOST_TEST(r.out.find("<balance>500.5000</balance>") != std::string::npos);
    BOOST_TEST(r.out.find(R"(<customer id="300"><name>Vaughan Lawrence</name>)") != std::string::npos);
    BOOST_TEST(r.out.find("<extCustomerRef>12343453454</extCustomerRef>") != std::string::npos);
    BOOST_TEST(r.out.find("<countryCode>zaf</countryCode>") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(status_document_from_json)
{
    const result r = out("status", R"({"success":true,"customerID":341,"Reference":"cus1001","Errors":[{"Message":)"
                                   R"("An exact street name match could not be found and phonetically matching the street name )"
                                   R"(resulted in either no matches or matches to more than one street name"}]})");
    BOOST_TEST_REQUIRE(!r.ec, r.ec.message() << ": " << r.report.path << " " << r.report.message);
    BOOST_TEST(canonical_xml(r.out) == canonical_xml(data("status_201.xml")));
}

BOOST_AUTO_TEST_CASE(billagain_error_body_to_status_document)
{
    const result r = out("status", R"({"Errors":[{"Message":"Cannot find Customer for this Account"}]})");
    BOOST_TEST_REQUIRE(!r.ec);
    BOOST_TEST(r.out == decl + "<status><success>False</success><errors><error>Cannot find Customer for this "
                               "Account</error></errors></status>");
}

BOOST_AUTO_TEST_CASE(autopay_post_to_billagain_json)
{
    const result r = in("autopay", data("autopay_post.xml"));
    BOOST_TEST_REQUIRE(!r.ec, r.ec.message() << ": " << r.report.path << " " << r.report.message);
    // AutopayPreference is the gateway's own member: it keeps the number and takes the
    // member out before the body goes to Billagain.
    BOOST_TEST(r.out == R"({"PaymentMethodType":"credit_card","isPrimary":true,"AutopayPreference":1,)"
                        R"("CreditCard":{"Number":"4111111111111111","ExpiryMonth":"12","ExpiryYear":"2010",)"
                        R"("CardType":"Visa","NameOnCard":"John","LastNameOnCard":"Villanova","CVV":"1234"},)"
                   R"("GatewayKept":{"billingAddress":{"street1":"9872 Central St","city":"Anytown","state":"AK","zip":"11001","country":"USA"}}})");
}

BOOST_AUTO_TEST_CASE(autopay_list_masks_digits_and_picks_variant)
{
    const result r = out("autopay_list",
                         R"([{"customerID":10659,"paymentMethodID":20269,"PaymentMethodType":"credit_card",)"
                         R"("isPrimary":true,"isValid":true,"CreditCard":{"NameOnCard":"John","LastNameOnCard":"Doe",)"
                         R"("CardType":"VISA","ExpiryMonth":8,"ExpiryYear":2020,"LastFourDigits":"42424242424242"}},)"
                         R"({"paymentMethodID":7,"PaymentMethodType":"bank_account","isPrimary":false,)"
                         R"("BankAccount":{"AccountHolder":"J Doe","LastFourDigits":"1234"}}])");
    BOOST_TEST_REQUIRE(!r.ec, r.ec.message() << ": " << r.report.path << " " << r.report.message);
    BOOST_TEST(r.out ==
               decl + R"(<list><paymentMethodDTO id="20269" type="CreditCard"><creditCardPaymentMethod>)"
                      R"(<autopayPreference>1</autopayPreference><cardNumber>**********4242</cardNumber>)"
                      R"(<cardType>VISA</cardType><cardholderName>John Doe</cardholderName></creditCardPaymentMethod>)"
                      R"(</paymentMethodDTO><paymentMethodDTO id="7" type="ACH"><achPaymentMethod>)"
                      R"(<autopayPreference>2</autopayPreference><accountNumber>1234</accountNumber>)"
                      R"(<accountHolderName>J Doe</accountHolderName></achPaymentMethod></paymentMethodDTO></list>)");
}

// Found by the mapping fuzzer: masking by bytes cut a multi-byte character in half and the
// answer was no longer UTF-8. Masking counts characters; fewer than four are all masked.
BOOST_AUTO_TEST_CASE(masking_counts_characters_not_bytes)
{
    const auto masked = [](const std::string& digits) {
        const result r = out("autopay_list", R"([{"paymentMethodID":1,"PaymentMethodType":"credit_card",)"
                                             R"("CreditCard":{"LastFourDigits":")" + digits + R"("}}])");
        BOOST_TEST_REQUIRE(!r.ec, r.ec.message() << ": " << r.report.path << " " << r.report.message);
        const auto open = r.out.find("<cardNumber>") + 12;
        return r.out.substr(open, r.out.find("</cardNumber>") - open);
    };
    BOOST_TEST(masked("ab\u1eae12\u00e9") == "**\xe1\xba\xae" "12\xc3\xa9");
    BOOST_TEST(masked("\u1eae\u1eae\u1eae\u1eae\u1eae") == "*\xe1\xba\xae\xe1\xba\xae\xe1\xba\xae\xe1\xba\xae");
    BOOST_TEST(masked("12\u00e9") == "***");
    BOOST_TEST(masked("4242") == "4242");
}

// Found by the mapping fuzzer: a JSON escape can decode to what XML cannot hold (a lone
// surrogate is not even UTF-8). The value is refused by name, never written.
BOOST_AUTO_TEST_CASE(json_escapes_xml_cannot_hold_are_refused)
{
    for (const char* name : {R"(Biscuits \uDCa2)", R"(Biscuits \uFFFF)", R"(\u0001)"}) {
        const result r = out("customer", std::string(R"({"customerID":1,"isCompany":true,"Name":")") + name + "\"}");
        BOOST_TEST(r.ec == error::not_representable, name << ": " << r.ec.message() << " " << r.out);
        BOOST_TEST(r.report.path == "Name+LastName", name << ": " << r.report.path);  // the composite name field
    }
    // A high surrogate without its pair: RapidJSON refuses the document itself.
    BOOST_TEST(out("customer", R"({"customerID":1,"Name":"Biscuits \uD800x"})").ec == error::malformed_json);
    const result fine = out("customer", R"({"customerID":1,"isCompany":true,"Name":"Biscuits \ud83c\udf6a"})");
    BOOST_TEST_REQUIRE(!fine.ec, fine.ec.message() << ": " << fine.report.message);
    BOOST_TEST(fine.out.find("Biscuits \xf0\x9f\x8d\xaa") != std::string::npos, fine.out);
}

// <country> without <countryCode> is looked up in the countries table (name, common name or
// code, any case); countryCode wins when both are given; an unknown country is refused by value.
BOOST_AUTO_TEST_CASE(country_without_code_is_resolved_through_the_table)
{
    const auto with_address = [](const std::string& address) {
        return in("billing_contact", "<billingContact><address>" + address + "</address></billingContact>");
    };
    for (const char* country : {"United States", "united states", "USA", "us"}) {
        const result r = with_address(std::string("<country>") + country + "</country>");
        BOOST_TEST_REQUIRE(!r.ec, country << ": " << r.ec.message() << " " << r.report.message);
        BOOST_TEST(r.out.find(R"("CountryCode":"US")") != std::string::npos, country << ": " << r.out);
    }
    const result both = with_address("<country>United States</country><countryCode>zaf</countryCode>");
    BOOST_TEST_REQUIRE(!both.ec, both.report.message);
    BOOST_TEST(both.out.find(R"("CountryCode":"ZA")") != std::string::npos, both.out);
    BOOST_TEST(both.out.find(R"("CountryCode":"US")") == std::string::npos, both.out);

    const result unknown = with_address("<country>Atlantis</country>");
    BOOST_TEST(unknown.ec == error::unmapped_value);
    BOOST_TEST(unknown.report.path == "billingContact/address/country", unknown.report.path);
    BOOST_TEST(unknown.report.message.find("'Atlantis'") != std::string::npos, unknown.report.message);

    const result none = with_address("<city>Gqeberha</city>");
    BOOST_TEST_REQUIRE(!none.ec, none.report.message);
    BOOST_TEST(none.out.find("CountryCode") == std::string::npos, none.out);
}

BOOST_AUTO_TEST_CASE(add_customer_and_order_to_one_create)
{
    const std::string xml =
        "<addCustomerAndOrder>" + data("customer_post.xml") +
        "<subscriptionOrders><subscriptionOrder><packageId>305</packageId><packageRateTermId>10843</packageRateTermId>"
        "<startDate>2016-12-15</startDate><term>1</term><termUnits>Months</termUnits>"
        "<components><component><componentId>10111</componentId><quantity>1</quantity></component></components>"
        "</subscriptionOrder></subscriptionOrders></addCustomerAndOrder>";
    const result r = in("add_customer_and_order", xml);
    BOOST_TEST_REQUIRE(!r.ec, r.ec.message() << ": " << r.report.path << " " << r.report.message);
    BOOST_TEST(r.out.find(R"({"Subscriptions":[{"packageID":305,"packageRateTermID":10843,"StartDate":"15 Dec 2016",)"
                          R"("Term":1,"TermType":"months","componentUsage":[{"componentID":10111,"NumUnits":1}]}],)"
                          R"("Name":"Bill",)") == 0);
    BOOST_TEST(r.out.find(R"("CountryCode":"US"})") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(add_customer_and_order_response)
{
    const result r = out("add_customer_and_order_response",
                         R"({"customerID":123,"Name":"Bricks Inc","isCompany":true,"Subscriptions":[{"subscriptionID":10214}]})");
    BOOST_TEST_REQUIRE(!r.ec, r.ec.message() << ": " << r.report.path << " " << r.report.message);
    BOOST_TEST(r.out == decl + R"(<addCustomerAndOrderResponse><customer id="123"><name>Bricks Inc</name>)"
                               R"(<isBusinessAccount>true</isBusinessAccount></customer>)"
                               R"(<subscriptionOrder id="10214"/></addCustomerAndOrderResponse>)");
}

BOOST_AUTO_TEST_CASE(billagain_subscription_to_subscription_order)
{
    // The first subscription of the seed's GET /v1/customers/{id}/subscriptions.
    const result r = out("subscription_order",
                         R"({"packageRateTermID":792,"CustomerName":"Rudi ","customerID":268,"PackageName":"AGENT-BASIC",)"
                         R"("subscriptionID":10207,"packageID":291,"packageVersionID":296,"packageVersionNumber":1,)"
                         R"("Term":1,"TermType":"months","StartDate":"2016-05-01T00:00:00+00:00","firstProrataSyncDate":null,)"
                         R"("EndDate":null,"TrialEndDate":"2017-02-04T00:00:00+02:00","numDaysBeforeToInv":0,)"
                         R"("componentUsage":[{"componentID":95,"componentVersionID":122,"componentVersionNumber":1,)"
                         R"("NumUnits":20000,"isSetUnits":true,"Memo":null}],"isFutureChange":false,"isProRata":false})");
    BOOST_TEST_REQUIRE(!r.ec, r.ec.message() << ": " << r.report.path << " " << r.report.message);
    BOOST_TEST(r.out == decl + R"(<subscriptionOrder id="10207"><packageId>291</packageId><packageVersionId>296</packageVersionId>)"
                               R"(<packageRateTermId>792</packageRateTermId><startDate>2016-05-01</startDate><term>1</term>)"
                               R"(<termUnits>Months</termUnits><daysBeforeInvoice>0</daysBeforeInvoice><components><component>)"
                               R"(<componentId>95</componentId><componentVersion>1</componentVersion><quantity>20000</quantity>)"
                               R"(</component></components></subscriptionOrder>)");
}

BOOST_AUTO_TEST_CASE(billagain_put_example_from_blubilling_xml)
{
    // The seed's PUT /v1/customers/{id} body for an individual, as a BluBilling client sends it.
    const result r = in("customer", R"(<customer><name>Jason Lee</name><extCustomerRef>cust-00001</extCustomerRef>)"
                                    R"(<isBusinessAccount>false</isBusinessAccount><currency id="ZAR"/><billingContact>)"
                                    R"(<emailPrimary>jasonlee@hotmail.com</emailPrimary><workPhone>+211-111-1235</workPhone>)"
                                    R"(<mobilePhone>+271-111-1235</mobilePhone><fax>+227-94-8405032</fax><address>)"
                                    R"(<street1>50 Pickering Street</street1><street2>Newton Park</street2><city>Port Elizabeth</city>)"
                                    R"(<state>Eastern Cape</state><zip>6000</zip><countryCode>zaf</countryCode></address>)"
                                    R"(</billingContact></customer>)");
    BOOST_TEST_REQUIRE(!r.ec, r.ec.message() << ": " << r.report.path << " " << r.report.message);
    const auto got = parse(r.out);
    const auto seed = parse(R"({"Reference":"cust-00001","isCompany":false,"Name":"Jason","LastName":"Lee",)"
                            R"("Email":"jasonlee@hotmail.com","Cell":"+271-111-1235","Tel":"+211-111-1235",)"
                            R"("Fax":"+227-94-8405032","Address1":"50 Pickering Street","Address2":"Newton Park",)"
                            R"("City":"Port Elizabeth","State":"Eastern Cape","ZipCode":"6000","CurrencyCode":"ZAR",)"
                            R"("isWaiveTaxes":false})");
    for (auto m = seed.MemberBegin(); m != seed.MemberEnd(); ++m) {
        const auto found = got.FindMember(m->name);
        BOOST_TEST_REQUIRE((found != got.MemberEnd()), m->name.GetString());
        BOOST_TEST((found->value == m->value), m->name.GetString());
    }
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(round_trip)

BOOST_AUTO_TEST_CASE(xml_json_xml_keeps_every_mapped_field)
{
    // What a client could PUT after a GET: every element the mapping returns.
    const std::string xml =
        R"(<customer><name>Mary Ann Smith</name><extCustomerRef>007</extCustomerRef>)"
        R"(<isBusinessAccount>false</isBusinessAccount><currency id="USD"/>)"
        R"(<billingContact><username>bill0004</username><firstName>Bill</firstName><lastName>Joseph</lastName>)"
        R"(<emailPrimary>bill@example.com</emailPrimary><workPhone>0324 555 879</workPhone>)"
        R"(<mobilePhone>+27 82</mobilePhone><fax></fax>)"
        R"(<address><street1>43 Main Av</street1><street2>Unit 4 &amp; 5 &lt;rear&gt;</street2><city>Chicago</city>)"
        R"(<state>IL</state><zip>01234</zip><countryCode>usa</countryCode></address></billingContact></customer>)";
    const result j = in("customer", xml);
    BOOST_TEST_REQUIRE(!j.ec, j.ec.message() << ": " << j.report.path << " " << j.report.message);
    BOOST_TEST(j.out.find(R"("Reference":"007")") != std::string::npos);
    BOOST_TEST(j.out.find(R"("ZipCode":"01234")") != std::string::npos);
    BOOST_TEST(j.out.find(R"("Name":"Mary Ann","LastName":"Smith")") != std::string::npos);
    const result x = out("customer", j.out);
    BOOST_TEST_REQUIRE(!x.ec, x.ec.message() << ": " << x.report.path << " " << x.report.message);
    BOOST_TEST(canonical_xml(x.out) == canonical_xml(xml));
}

BOOST_AUTO_TEST_CASE(contacts_and_orders_round_trip)
{
    const std::vector<std::pair<const char*, std::string>> docs = {
        {"sales_contact", R"(<salesContact><username>s01</username><firstName>Ann</firstName><lastName>Lee</lastName>)"
                          R"(<emailPrimary>ann@example.com</emailPrimary><workPhone>007 123</workPhone></salesContact>)"},
        {"billing_contact", R"(<billingContact><username>b</username><firstName>Bill</firstName><lastName>J</lastName>)"
                            R"(<emailPrimary>b@x</emailPrimary><workPhone>1</workPhone><mobilePhone>2</mobilePhone><fax>3</fax>)"
                            R"(<address><street1>a</street1><street2>b</street2><city>c</city><state>d</state>)"
                            R"(<zip>0000</zip></address></billingContact>)"},
        {"subscription_order", R"(<subscriptionOrder><packageId>1</packageId><packageVersionId>2</packageVersionId>)"
                               R"(<packageRateTermId>3</packageRateTermId><term>12</term><termUnits>Days</termUnits>)"
                               R"(<daysBeforeInvoice>4</daysBeforeInvoice><components><component><componentId>5</componentId>)"
                               R"(<componentVersion>6</componentVersion><quantity>7</quantity></component><component>)"
                               R"(<componentId>8</componentId></component></components></subscriptionOrder>)"},
    };
    for (const auto& [name, xml] : docs) {
        const result j = in(name, xml);
        BOOST_TEST_REQUIRE(!j.ec, name << ": " << j.report.path << " " << j.report.message);
        const result x = out(name, j.out);
        BOOST_TEST_REQUIRE(!x.ec, name << ": " << x.report.path << " " << x.report.message);
        BOOST_TEST(canonical_xml(x.out) == canonical_xml(xml), name);
    }
}

BOOST_AUTO_TEST_CASE(json_xml_json_keeps_decimals_byte_identical)
{
    for (const char* balance : {"500.5000", "1728.0667", "0", "-0.10", "12345678901234567.000001"}) {
        const std::string json = std::string(R"({"customerID":1,"Balance":)") + balance + "}";
        const result x = out("customer", json);
        BOOST_TEST_REQUIRE(!x.ec);
        BOOST_TEST(x.out.find(std::string("<balance>") + balance + "</balance>") != std::string::npos);
    }
}

BOOST_AUTO_TEST_SUITE_END()

BOOST_AUTO_TEST_SUITE(pitfalls)

BOOST_AUTO_TEST_CASE(one_element_list_is_still_an_array)
{
    const result r = out("customer_list", R"([{"customerID":5,"Name":"A"}])");
    BOOST_TEST_REQUIRE(!r.ec);
    BOOST_TEST(r.out == decl + R"(<list><customer id="5"><name>A</name></customer></list>)");
    const result back = in("customer_list", R"(<list><customer><name>A</name></customer></list>)");
    BOOST_TEST_REQUIRE(!back.ec);
    BOOST_TEST(back.out == R"([{"Name":"A","isWaiveTaxes":false}])");
}

BOOST_AUTO_TEST_CASE(empty_list_is_empty_array)
{
    const result r = in("customer_list", "<list/>");
    BOOST_TEST_REQUIRE(!r.ec);
    BOOST_TEST(r.out == "[]");
    const result x = out("customer_list", "[]");
    BOOST_TEST_REQUIRE(!x.ec);
    BOOST_TEST(x.out == decl + "<list/>");
    const result subs = in("add_customer_and_order",
                           "<addCustomerAndOrder><subscriptionOrders/></addCustomerAndOrder>");
    BOOST_TEST_REQUIRE(!subs.ec);
    BOOST_TEST(subs.out == R"({"Subscriptions":[]})");
}

BOOST_AUTO_TEST_CASE(leading_zeros_stay_strings)
{
    const result r = in("customer", "<customer><extCustomerRef>007</extCustomerRef></customer>");
    BOOST_TEST_REQUIRE(!r.ec);
    BOOST_TEST(r.out == R"({"Reference":"007","isWaiveTaxes":false})");
    const result x = out("customer", R"({"Reference":"007","ZipCode":"0001"})");
    BOOST_TEST_REQUIRE(!x.ec);
    BOOST_TEST(x.out.find("<extCustomerRef>007</extCustomerRef>") != std::string::npos);
    BOOST_TEST(x.out.find("<zip>0001</zip>") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(null_empty_and_absent_stay_distinct)
{
    // JSON null → element absent; "" → empty element; absent → absent.
    const result x = out("customer", R"({"Reference":null,"Address1":"","City":"X"})");
    BOOST_TEST_REQUIRE(!x.ec);
    BOOST_TEST(x.out.find("extCustomerRef") == std::string::npos);
    BOOST_TEST(x.out.find("<street1/>") != std::string::npos);
    BOOST_TEST(x.out.find("state") == std::string::npos);
    // Empty element → ""; xsi:nil → null; absent → absent.
    const result j = in("customer", R"(<customer xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">)"
                                    R"(<extCustomerRef/><billingContact><workPhone xsi:nil="true"/></billingContact></customer>)");
    BOOST_TEST_REQUIRE(!j.ec, j.report.message);
    BOOST_TEST(j.out == R"({"Reference":"","isWaiveTaxes":false,"Tel":null})");
}

BOOST_AUTO_TEST_CASE(null_as_xsi_nil_where_configured)
{
    const auto set = load_mappings(std::vector<std::pair<std::string, std::string>>{
        {"t.yaml", "mappings:\n  - name: m\n    xml_root: r\n    fields:\n"
                   "      - { xml: a, json: A, nil: true }\n      - { xml: b, json: B }\n"}});
    std::string xml;
    conversion_report report;
    BOOST_TEST_REQUIRE(!set->find("m")->to_xml(R"({"A":null,"B":null})", xml, report));
    BOOST_TEST(xml == decl + R"(<r xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"><a xsi:nil="true"/></r>)");
    std::string json;
    BOOST_TEST_REQUIRE(!set->find("m")->to_json(xml, json, report));
    BOOST_TEST(json == R"({"A":null})");
}

BOOST_AUTO_TEST_CASE(whitespace_only_values_survive)
{
    const result r = in("customer", "<customer>\n  <extCustomerRef> </extCustomerRef>\n  <billingContact>\n"
                                    "  </billingContact>\n</customer>");
    BOOST_TEST_REQUIRE(!r.ec, r.report.message);
    BOOST_TEST(r.out == R"({"Reference":" ","isWaiveTaxes":false})");
    const result x = out("customer", R"({"Reference":" "})");
    BOOST_TEST(x.out.find("<extCustomerRef> </extCustomerRef>") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(empty_typed_value_is_an_error_not_null)
{
    const result r = in("customer", "<customer><isBusinessAccount/></customer>");
    BOOST_TEST(r.ec == error::invalid_value);
    BOOST_TEST(r.report.path == "customer/isBusinessAccount");
}

BOOST_AUTO_TEST_CASE(booleans_accept_every_documented_spelling)
{
    for (const char* t : {"true", "True", "1"}) {
        const result r = in("customer", std::string("<customer><isBusinessAccount>") + t + "</isBusinessAccount></customer>");
        BOOST_TEST_REQUIRE(!r.ec);
        BOOST_TEST(r.out.find(R"("isCompany":true)") != std::string::npos);
    }
    for (const char* t : {"false", "False", "0"}) {
        const result r = in("customer", std::string("<customer><isBusinessAccount>") + t + "</isBusinessAccount></customer>");
        BOOST_TEST_REQUIRE(!r.ec);
        BOOST_TEST(r.out.find(R"("isCompany":false)") != std::string::npos);
    }
    const result bad = in("customer", "<customer><isBusinessAccount>yes</isBusinessAccount></customer>");
    BOOST_TEST(bad.ec == error::invalid_value);
    BOOST_TEST(bad.report.path == "customer/isBusinessAccount");
}

BOOST_AUTO_TEST_CASE(business_keeps_name_whole)
{
    const result r = in("customer", "<customer><name>Bricks Inc Ltd</name><isBusinessAccount>true</isBusinessAccount></customer>");
    BOOST_TEST_REQUIRE(!r.ec);
    BOOST_TEST(r.out.rfind(R"({"Name":"Bricks Inc Ltd","isCompany":true)", 0) == 0);
    const result x = out("customer", R"({"Name":"Vaughan Lawrence","LastName":"3245","isCompany":true})");
    BOOST_TEST(x.out.find("<name>Vaughan Lawrence</name>") != std::string::npos);
    const result ind = out("customer", R"({"Name":"Jason","LastName":"Lee","isCompany":false})");
    BOOST_TEST(ind.out.find("<name>Jason Lee</name>") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(name_kept_whole_when_the_document_does_not_say)
{
    const result r = in("customer", "<customer><name>Bricks Inc</name></customer>");
    BOOST_TEST_REQUIRE(!r.ec);
    BOOST_TEST(r.out == R"({"Name":"Bricks Inc","isWaiveTaxes":false})");
}

BOOST_AUTO_TEST_CASE(defaults_can_be_left_out_for_an_overlaid_put)
{
    std::string json;
    conversion_report report;
    inbound_options options;
    options.apply_defaults = false;
    BOOST_TEST_REQUIRE(!mapping("customer").to_json("<customer><extCustomerRef>x</extCustomerRef></customer>", json,
                                                     report, options));
    BOOST_TEST(json == R"({"Reference":"x"})");
    options.apply_defaults = true;
    options.limits.max_depth = 1;
    BOOST_TEST(mapping("customer").to_json("<customer><extCustomerRef>x</extCustomerRef></customer>", json, report,
                                           options) == error::too_deep);
}

BOOST_AUTO_TEST_CASE(unknown_elements_rejected_all_listed)
{
    const result r = in("customer", R"(<customer><name>A</name><nickname>x</nickname><currency id="USD" sym="$"/>)"
                                    R"(<billingContact><address><planet>Mars</planet></address></billingContact></customer>)");
    BOOST_TEST(r.ec == error::unknown_element);
    BOOST_TEST(is_client_error(r.ec));
    BOOST_TEST_REQUIRE(r.report.unknown.size() == 3u);
    BOOST_TEST(r.report.unknown[0] == "customer/nickname");
    BOOST_TEST(r.report.unknown[1] == "customer/currency/@sym");
    BOOST_TEST(r.report.unknown[2] == "customer/billingContact/address/planet");
    BOOST_TEST(r.report.message.find("customer/billingContact/address/planet") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(unknown_elements_ignored_when_policy_says_so)
{
    // The list wrapper of autopay methods has no unknown policy of its own; status ignores.
    const auto set = load_mappings(std::vector<std::pair<std::string, std::string>>{
        {"t.yaml", "mappings:\n  - name: m\n    xml_root: r\n    unknown: ignore\n    fields:\n      - { xml: a, json: A }\n"}});
    std::string json;
    conversion_report report;
    const auto ec = set->find("m")->to_json("<r><a>1</a><b>2</b><c><d/></c></r>", json, report);
    BOOST_TEST_REQUIRE(!ec);
    BOOST_TEST(json == R"({"A":"1"})");
    BOOST_TEST(report.unknown == (std::vector<std::string>{"r/b", "r/c"}), boost::test_tools::per_element());
}

BOOST_AUTO_TEST_CASE(read_only_fields_sent_back_are_not_forwarded)
{
    const result r = in("customer", R"(<customer id="366"><status>Active</status><customerFinancials><balance>1.00</balance>)"
                                    R"(</customerFinancials><extCustomerRef>a</extCustomerRef></customer>)");
    BOOST_TEST_REQUIRE(!r.ec, r.report.message);
    BOOST_TEST(r.out == R"({"Reference":"a","isWaiveTaxes":false})");
}

BOOST_AUTO_TEST_CASE(repeated_single_element_is_an_error)
{
    const result r = in("customer", "<customer><name>A</name><name>B</name></customer>");
    BOOST_TEST(r.ec == error::duplicate_element);
    BOOST_TEST(r.report.path == "customer/name[2]");
}

BOOST_AUTO_TEST_CASE(doctype_is_rejected)
{
    const result r = in("customer", R"(<?xml version="1.0"?><!DOCTYPE customer [<!ENTITY xxe SYSTEM "file:///etc/passwd">]>)"
                                    R"(<customer><name>&xxe;</name></customer>)");
    BOOST_TEST(r.ec == error::doctype_forbidden);
}

BOOST_AUTO_TEST_CASE(deep_nesting_is_rejected)
{
    std::string xml = "<customer>";
    for (int i = 0; i < 40; ++i) xml += "<a>";
    for (int i = 0; i < 40; ++i) xml += "</a>";
    xml += "</customer>";
    const result r = in("customer", xml);
    BOOST_TEST(r.ec == error::too_deep);
}

BOOST_AUTO_TEST_CASE(bad_date_names_the_field)
{
    const result r = in("autopay", R"(<autopay><paymentMethodDTO type="CreditCard"><creditCardPaymentMethod>)"
                                   R"(<expiry>2010-02-30</expiry></creditCardPaymentMethod></paymentMethodDTO></autopay>)");
    BOOST_TEST(r.ec == error::invalid_value);
    BOOST_TEST(r.report.path == "autopay/paymentMethodDTO/creditCardPaymentMethod/expiry");
    BOOST_TEST(r.report.message.find("2010-02-30") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(bad_value_map_value_lists_allowed_values)
{
    const result r = in("customer", "<customer><paymentTermsUnits>Fortnights</paymentTermsUnits></customer>");
    BOOST_TEST(r.ec == error::unmapped_value);
    BOOST_TEST(r.report.path == "customer/paymentTermsUnits");
    BOOST_TEST(r.report.message.find("Days, Weeks, Months") != std::string::npos);
    const result bad_int = in("customer", "<customer><paymentTermsValue>thirty</paymentTermsValue></customer>");
    BOOST_TEST(bad_int.ec == error::invalid_value);
}

BOOST_AUTO_TEST_CASE(secret_value_not_echoed_in_errors)
{
    const result r = in("autopay", R"(<autopay><paymentMethodDTO type="Bitcoin"><cashPaymentMethod/></paymentMethodDTO></autopay>)");
    BOOST_TEST(r.ec == error::unmapped_value);
    BOOST_TEST(r.report.path == "autopay/paymentMethodDTO/@type");
}

BOOST_AUTO_TEST_CASE(errors_inside_lists_name_the_item)
{
    const result r = in("add_customer_and_order",
                        "<addCustomerAndOrder><subscriptionOrders><subscriptionOrder><term>1</term></subscriptionOrder>"
                        "<subscriptionOrder><term>x</term></subscriptionOrder></subscriptionOrders></addCustomerAndOrder>");
    BOOST_TEST(r.ec == error::invalid_value);
    BOOST_TEST(r.report.path == "addCustomerAndOrder/subscriptionOrders/subscriptionOrder[2]/term");
    const result x = out("add_customer_and_order_response",
                         R"({"Subscriptions":[{"subscriptionID":1},{"subscriptionID":"two"}]})");
    BOOST_TEST(x.ec == error::invalid_json_value);
    BOOST_TEST(x.report.path == "Subscriptions[1].subscriptionID");
    const result c = out("customer", R"({"SalesContact":{"customerContactID":"x"}})");
    BOOST_TEST(c.ec == error::invalid_json_value);
    BOOST_TEST(c.report.path == "SalesContact.customerContactID");
}

BOOST_AUTO_TEST_CASE(too_many_subscription_orders)
{
    std::string xml = "<addCustomerAndOrder><subscriptionOrders>";
    for (int i = 0; i < 6; ++i) xml += "<subscriptionOrder><term>1</term></subscriptionOrder>";
    xml += "</subscriptionOrders></addCustomerAndOrder>";
    const result r = in("add_customer_and_order", xml);
    BOOST_TEST(r.ec == error::too_many_items);
}

BOOST_AUTO_TEST_CASE(country_codes_both_ways)
{
    const result r = in("billing_contact", "<billingContact><address><countryCode>ZAF</countryCode></address></billingContact>");
    BOOST_TEST_REQUIRE(!r.ec);
    BOOST_TEST(r.out == R"({"CountryCode":"ZA"})");
    const result bad = in("billing_contact", "<billingContact><address><countryCode>xyz</countryCode></address></billingContact>");
    BOOST_TEST(bad.ec == error::unmapped_value);
    // Country (Billagain's answer) first, CountryCode (its input form) as the fallback.
    const result both = out("billing_contact", R"({"Country":"South Africa","CountryCode":"US"})");
    BOOST_TEST(both.out.find("<countryCode>zaf</countryCode>") != std::string::npos);
    const result code = out("billing_contact", R"({"Country":null,"CountryCode":"US"})");
    BOOST_TEST(code.out == decl + "<billingContact><address><countryCode>usa</countryCode></address></billingContact>");
    // A country name Billagain spells its own way leaves countryCode out rather than failing.
    const result odd = out("billing_contact", R"({"Country":"Atlantis"})");
    BOOST_TEST_REQUIRE(!odd.ec);
    BOOST_TEST(odd.out == decl + "<billingContact><address><country>Atlantis</country></address></billingContact>");
}

BOOST_AUTO_TEST_CASE(output_is_escaped_utf8)
{
    const result x = out("customer", R"({"Name":"<b>Ünïcödé & \"co\"</b>","isCompany":true,"CurrencyCode":"a\"b<"})");
    BOOST_TEST_REQUIRE(!x.ec);
    BOOST_TEST(x.out == decl + R"(<customer><name>&lt;b&gt;Ünïcödé &amp; "co"&lt;/b&gt;</name>)"
                               R"(<isBusinessAccount>true</isBusinessAccount><currency id="a&quot;b&lt;"/></customer>)");
}

BOOST_AUTO_TEST_CASE(control_characters_cannot_reach_xml)
{
    const result x = out("customer", R"({"Name":"a\u0001b"})");
    BOOST_TEST(x.ec == error::not_representable);
    BOOST_TEST(!is_client_error(x.ec));
    BOOST_TEST(x.report.path == "Name+LastName");
}

BOOST_AUTO_TEST_CASE(malformed_and_mistyped_upstream_json)
{
    BOOST_TEST(out("customer", "{").ec == error::malformed_json);
    BOOST_TEST(out("customer", "[]").ec == error::unexpected_json_type);
    BOOST_TEST(out("customer", R"({"Balance":"12abc"})").ec == error::invalid_json_value);
    BOOST_TEST(out("customer", R"({"Balance":1e5})").ec == error::invalid_json_value);
    BOOST_TEST(out("customer", R"({"Contact":"x"})").ec == error::unexpected_json_type);
    BOOST_TEST(out("customer", R"({"isActive":"maybe","isSuspended":false})").ec == error::unmapped_json_value);
}

BOOST_AUTO_TEST_CASE(wrong_root_is_named)
{
    const result r = in("customer", "<client/>");
    BOOST_TEST(r.ec == error::wrong_root);
    BOOST_TEST(r.report.message.find("<customer>") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(invalid_utf8_is_rejected_both_ways)
{
    const result r = in("customer", "<customer><name>a\xff</name></customer>");
    BOOST_TEST(r.ec == error::unsupported_encoding);
    BOOST_TEST(out("customer", "{\"Name\":\"a\xff\"}").ec == error::malformed_json);
}

BOOST_AUTO_TEST_CASE(accepts_parsed_json_value)
{
    rapidjson::Document d = parse(R"({"customerID":7,"Balance":500.5000})");
    std::string xml;
    conversion_report report;
    BOOST_TEST_REQUIRE(!mapping("customer").to_xml(d, xml, report));
    BOOST_TEST(xml.find("<balance>500.5000</balance>") != std::string::npos);
    // A natively parsed double is refused rather than rounded.
    rapidjson::Document native;
    native.Parse(R"({"Balance":500.5000})");
    BOOST_TEST(mapping("customer").to_xml(native, xml, report) == error::invalid_json_value);
}

BOOST_AUTO_TEST_CASE(roles_name_identifiers)
{
    BOOST_TEST(mapping("customer").role("id") == "customerID");
    BOOST_TEST(mapping("customer").role("reference") == "Reference");
    BOOST_TEST(mapping("customer").role("billing_contact") == "Contact");
    BOOST_TEST(mapping("customer").role("sales_contact") == "SalesContact");
    BOOST_TEST(mapping("customer").role("nope").empty());
    BOOST_TEST(mapping("add_customer_and_order_response").role("subscriptions") == "Subscriptions");
}

BOOST_AUTO_TEST_SUITE_END()
