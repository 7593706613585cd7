// Nothing a round trip loses (issue "BluBilling fidelity"): every member of Billagain's
// customer PUT input list, set directly in the sandbox, survives a GET → PUT through the
// gateway unchanged, and an update that names one element changes that member only.
#define BOOST_TEST_MODULE gateway_round_trip
#include <boost/test/unit_test.hpp>

#include "gateway_stack.hpp"

using namespace gateway_test;

namespace {

// Every member of the read form that the PUT input list writes (billagain-v1-customers.txt);
// StatementDay is read back as StatementDate.
const std::vector<std::string> writable_as_read = {
    "Reference", "isCompany", "Name",      "LastName",         "RegistrationNumber", "VatNo",
    "Company",   "Email",     "EmailCC",   "Cell",             "Tel",                "Fax",
    "Address1",  "Address2",  "City",      "State",            "countryID",          "countryStateID",
    "ZipCode",   "PrimaryGatewayID",       "CurrencyCode",     "isWaiveTaxes",       "PaymentMethod",
    "autoSendInvoice",        "autoSendStatement",             "StatementDate"};

// Customer 302 (it has a billing contact) with every writable member set to a value that is not a default.
void set_every_member(gateway_stack& stack) {
    const std::string record = R"({"Reference":"RT-302","isCompany":false,"Name":"Ada","LastName":"Lovelace",)"
                               R"("RegistrationNumber":"REG-77","VatNo":"4410","Company":"Analytical Engines",)"
                               R"("Email":"ada@example.com","EmailCC":"ada.cc@example.com","Cell":"+27 82 555 0101",)"
                               R"("Tel":"+27 41 555 0102","Fax":"+27 41 555 0103","Address1":"12 Engine Road",)"
                               R"("Address2":"Difference Park","City":"Gqeberha","State":"Eastern Cape",)"
                               R"("countryID":71,"countryStateID":"3","ZipCode":"6001","PrimaryGatewayID":42,)"
                               R"("CurrencyCode":"ZAR","isWaiveTaxes":true,"PaymentMethod":"eft",)"
                               R"("autoSendInvoice":false,"autoSendStatement":true,"StatementDay":17})";
    auto put = stack.upstream.request(http::verb::put, "/v1/customers/302", record,
                                      {{"Content-Type", "application/json"}});
    BOOST_TEST_REQUIRE(put.status == 204u, put.body);
}

}  // namespace

BOOST_FIXTURE_TEST_CASE(every_member_survives_a_get_put_round_trip, gateway_stack) {
    set_every_member(*this);
    const auto before = upstream.get("/v1/customers/302").body;
    BOOST_TEST_REQUIRE(member_of(before, "StatementDate") == "17");

    const auto read = get("/rest/customer/302?format=xml");
    BOOST_TEST_REQUIRE(read.status == 200u, read.body);
    const auto written = put("/rest/customer/302?format=xml", read.body);
    BOOST_TEST_REQUIRE(written.status == 200u, written.body);
    BOOST_TEST(written.body == read.body);

    const auto after = upstream.get("/v1/customers/302").body;
    for (const auto& name : writable_as_read) {
        BOOST_TEST(member_of(before, name) != "<absent>", name);
        BOOST_TEST(member_of(after, name) == member_of(before, name), name);
    }
}

BOOST_FIXTURE_TEST_CASE(an_update_naming_one_element_changes_that_member_only, gateway_stack) {
    set_every_member(*this);
    const auto before = upstream.get("/v1/customers/302").body;
    const auto r = put("/rest/customer/302?format=xml",
                       "<customer><billingContact><address><zip>6070</zip></address></billingContact></customer>");
    BOOST_TEST_REQUIRE(r.status == 200u, r.body);
    const auto after = upstream.get("/v1/customers/302").body;
    BOOST_TEST(member_of(after, "ZipCode") == "\"6070\"");
    for (const auto& name : writable_as_read) {
        if (name != "ZipCode") BOOST_TEST(member_of(after, name) == member_of(before, name), name);
    }
}

// The contact PUT (4.1.5's billingContact route) writes the customer record too.
BOOST_FIXTURE_TEST_CASE(a_billing_contact_update_keeps_the_statement_day, gateway_stack) {
    set_every_member(*this);
    const auto r = put("/rest/customer/302/billingContact?format=xml",
                       "<billingContact><workPhone>+27 41 555 0199</workPhone></billingContact>");
    BOOST_TEST_REQUIRE(r.status == 200u, r.body);
    const auto after = upstream.get("/v1/customers/302").body;
    BOOST_TEST(member_of(after, "Tel") == "\"+27 41 555 0199\"");
    BOOST_TEST(member_of(after, "StatementDate") == "17");
    BOOST_TEST(member_of(after, "PrimaryGatewayID") == "42");
}

// Billagain prefers the countryID it was sent over a CountryCode: a new country by code
// must not be undone by the old id read back.
BOOST_FIXTURE_TEST_CASE(a_new_country_by_code_replaces_the_country_read_back, gateway_stack) {
    set_every_member(*this);
    const auto r = put("/rest/customer/302?format=xml",
                       "<customer><billingContact><address><countryCode>usa</countryCode></address></billingContact>"
                       "</customer>");
    BOOST_TEST_REQUIRE(r.status == 200u, r.body);
    BOOST_TEST(element_text(r.body, "countryCode") == "usa");
    const auto after = upstream.get("/v1/customers/302").body;
    BOOST_TEST(member_of(after, "countryID") != "71");
    BOOST_TEST(member_of(after, "StatementDate") == "17");
}

// A <country> without <countryCode> is not dropped: resolved through the countries table.
BOOST_FIXTURE_TEST_CASE(a_country_without_its_code_is_resolved_or_refused_by_name, gateway_stack) {
    std::string xml = customer_xml("cc-1");
    const auto code = xml.find("<countryCode>");
    BOOST_TEST_REQUIRE(code != std::string::npos);
    xml.erase(code, xml.find("</countryCode>") + 14 - code);
    const auto country = xml.find("<country>");
    BOOST_TEST_REQUIRE(country != std::string::npos);
    xml.replace(country, xml.find("</country>") - country, "<country>South Africa");

    auto created = post("/rest/customers?format=xml", xml);
    BOOST_TEST_REQUIRE(created.status == 200u, created.body);
    BOOST_TEST(element_text(created.body, "countryCode") == "zaf");
    const auto id = id_of(created.body, "customer");
    BOOST_TEST(member_of(upstream.get("/v1/customers/" + id).body, "Country") == "\"South Africa\"");

    std::string unknown = xml;
    unknown.replace(unknown.find("cc-1"), 4, "cc-2");
    unknown.replace(unknown.find("South Africa"), 12, "Atlantis");
    auto refused = post("/rest/customers?format=xml", unknown);
    BOOST_TEST(refused.status == 400u, refused.body);
    BOOST_TEST(element_text(refused.body, "error").find("'Atlantis'") != std::string::npos, refused.body);
    BOOST_TEST(get("/rest/customer?extCustomerRef=cc-2").status == 404u);
}
