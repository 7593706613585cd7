// GET/PUT billingContact and salesContact (4.1.2, 4.1.5) through the real gateway and
// sandbox, by id and by extCustomerRef, checking what reached Billagain.
#define BOOST_TEST_MODULE gateway_contact_routes
#include <boost/test/unit_test.hpp>

#include "gateway_stack.hpp"

using namespace gateway_test;

namespace {

// Customer 302 of the fixture: one contact (10100), reference 12343453454.
const std::string by_id = "/rest/customer/302/";
const std::string ref_query = "?format=xml&extCustomerRef=12343453454";

const std::string billing_change = R"(<billingContact>
<firstName>Bri</firstName>
<workPhone>+27 41 555 0101</workPhone>
<address>
<city>Gqeberha</city>
<zip>6001</zip>
</address>
</billingContact>)";

const std::string sales_contact = R"(<salesContact>
<firstName>Sam</firstName>
<lastName>Seller</lastName>
<emailPrimary>sam@seller.example</emailPrimary>
<workPhone>+27 82 000 1111</workPhone>
</salesContact>)";

}  // namespace

BOOST_FIXTURE_TEST_CASE(billing_contact_reads_the_same_by_id_and_by_reference, gateway_stack) {
    auto r = get(by_id + "billingContact?format=xml");
    BOOST_TEST_REQUIRE(r.status == 200u, r.body);
    BOOST_TEST(std::string(r.headers[http::field::content_type]) == "application/xml; charset=utf-8");
    BOOST_TEST(r.body.find(R"(<billingContact id="10100">)") != std::string::npos, r.body);
    BOOST_TEST(element_text(r.body, "username") == "BarB4x9");
    BOOST_TEST(element_text(r.body, "firstName") == "Brielle");
    BOOST_TEST(element_text(r.body, "lastName") == "Barnett");
    BOOST_TEST(element_text(r.body, "emailPrimary") == "poqo@hotmail.com");
    BOOST_TEST(element_text(r.body, "street1") == "50 Pickering Street");
    BOOST_TEST(element_text(r.body, "city") == "Port Elizabeth");
    BOOST_TEST(r.body.find("<passwd>") == std::string::npos);

    auto by_ref = get("/rest/customer/billingContact" + ref_query);
    BOOST_TEST(by_ref.status == 200u, by_ref.body);
    BOOST_TEST(by_ref.body == r.body);
}

BOOST_FIXTURE_TEST_CASE(a_missing_sales_contact_is_404_by_id_and_by_reference, gateway_stack) {
    auto r = get(by_id + "salesContact?format=xml");
    BOOST_TEST(r.status == 404u, r.body);
    BOOST_TEST(element_text(r.body, "error").find("salesContact") != std::string::npos, r.body);
    BOOST_TEST(get("/rest/customer/salesContact" + ref_query).status == 404u);
    BOOST_TEST(get("/rest/customer/999999/salesContact").status == 404u);
    BOOST_TEST(get("/rest/customer/billingContact?extCustomerRef=nobody").status == 404u);
}

BOOST_FIXTURE_TEST_CASE(put_billing_contact_changes_only_what_was_sent, gateway_stack) {
    auto r = put(by_id + "billingContact?format=xml", billing_change);
    BOOST_TEST_REQUIRE(r.status == 200u, r.body);
    // The answer is the contact as read back.
    BOOST_TEST(r.body.find(R"(<billingContact id="10100">)") != std::string::npos, r.body);
    BOOST_TEST(element_text(r.body, "firstName") == "Bri");
    BOOST_TEST(element_text(r.body, "lastName") == "Barnett");
    BOOST_TEST(element_text(r.body, "username") == "BarB4x9");
    BOOST_TEST(element_text(r.body, "workPhone") == "+27 41 555 0101");
    BOOST_TEST(element_text(r.body, "city") == "Gqeberha");
    BOOST_TEST(element_text(r.body, "street1") == "50 Pickering Street");

    // The customer record carries the address and phone; everything else is untouched.
    auto record = upstream.get("/v1/customers/302");
    BOOST_TEST(member_of(record.body, "City") == "\"Gqeberha\"");
    BOOST_TEST(member_of(record.body, "ZipCode") == "\"6001\"");
    BOOST_TEST(member_of(record.body, "Tel") == "\"+27 41 555 0101\"");
    BOOST_TEST(member_of(record.body, "Address1") == "\"50 Pickering Street\"");
    BOOST_TEST(member_of(record.body, "Reference") == "\"12343453454\"");
    BOOST_TEST(member_of(record.body, "Email") == "\"poqo@hotmail.com\"");
    BOOST_TEST(member_of(record.body, "VatNo") == "\"554\"");
    BOOST_TEST(member_of(record.body, "EmailCC") == "\"cobojufypy@yahoo.com\"");
    BOOST_TEST(member_of(record.body, "Balance") == "500.5000");
    BOOST_TEST(member_of(record.body, "CurrencyCode") == "\"ZAR\"");
    BOOST_TEST(member_of(record.body, "isWaiveTaxes") == "false");

    // The contact record carries the names; still one contact, same id.
    auto contacts = upstream.get("/v1/customers/302/contacts");
    BOOST_TEST(occurrences(contacts.body, "\"customerContactID\"") == 1u, contacts.body);
    BOOST_TEST(member_of(contacts.body, "customerContactID") == "10100");
    BOOST_TEST(member_of(contacts.body, "Name") == "\"Bri\"");
    BOOST_TEST(member_of(contacts.body, "LastName") == "\"Barnett\"");
    BOOST_TEST(member_of(contacts.body, "Username") == "\"BarB4x9\"");
    BOOST_TEST(member_of(contacts.body, "Email") == "\"poqo@hotmail.com\"");
}

BOOST_FIXTURE_TEST_CASE(put_billing_contact_by_reference, gateway_stack) {
    auto r = put("/rest/customer/billingContact" + ref_query,
                 "<billingContact><lastName>Barnett-Smith</lastName><passwd>" + std::string(secrets::new_contact_password) +
                     "</passwd></billingContact>");
    BOOST_TEST_REQUIRE(r.status == 200u, r.body);
    BOOST_TEST(element_text(r.body, "lastName") == "Barnett-Smith");
    BOOST_TEST(element_text(r.body, "firstName") == "Brielle");
    BOOST_TEST(r.body.find(secrets::new_contact_password) == std::string::npos);
    auto contacts = upstream.get("/v1/customers/302/contacts");
    BOOST_TEST(member_of(contacts.body, "LastName") == "\"Barnett-Smith\"");
    BOOST_TEST(contacts.body.find(secrets::new_contact_password) == std::string::npos);
    BOOST_TEST(get(by_id + "billingContact").body == r.body);
}

BOOST_FIXTURE_TEST_CASE(put_sales_contact_creates_then_updates_the_second_contact, gateway_stack) {
    auto created = put(by_id + "salesContact?format=xml", sales_contact);
    BOOST_TEST_REQUIRE(created.status == 200u, created.body);
    const auto sales_id = id_of(created.body, "salesContact");
    BOOST_TEST(sales_id != "<absent>", created.body);
    BOOST_TEST(sales_id != "10100");
    BOOST_TEST(element_text(created.body, "firstName") == "Sam");
    BOOST_TEST(element_text(created.body, "emailPrimary") == "sam@seller.example");
    BOOST_TEST(element_text(created.body, "workPhone") == "+27 82 000 1111");

    auto contacts = upstream.get("/v1/customers/302/contacts");
    BOOST_TEST(occurrences(contacts.body, "\"customerContactID\"") == 2u, contacts.body);
    BOOST_TEST(contacts.body.find("\"Name\":\"Sam\"") != std::string::npos, contacts.body);

    // The billing contact is still the first one, unchanged.
    auto billing = get(by_id + "billingContact");
    BOOST_TEST(id_of(billing.body, "billingContact") == "10100");
    BOOST_TEST(element_text(billing.body, "firstName") == "Brielle");

    // A second PUT, by reference, updates that same contact and keeps what it does not name.
    auto updated = put("/rest/customer/salesContact" + ref_query,
                       "<salesContact><emailPrimary>sam@new.example</emailPrimary></salesContact>");
    BOOST_TEST_REQUIRE(updated.status == 200u, updated.body);
    BOOST_TEST(id_of(updated.body, "salesContact") == sales_id);
    BOOST_TEST(element_text(updated.body, "emailPrimary") == "sam@new.example");
    BOOST_TEST(element_text(updated.body, "firstName") == "Sam");
    BOOST_TEST(element_text(updated.body, "lastName") == "Seller");
    contacts = upstream.get("/v1/customers/302/contacts");
    BOOST_TEST(occurrences(contacts.body, "\"customerContactID\"") == 2u, contacts.body);

    auto read = get("/rest/customer/salesContact" + ref_query);
    BOOST_TEST(read.status == 200u);
    BOOST_TEST(read.body == updated.body);
    // The full customer graph shows both contacts.
    auto graph = get("/rest/customer/302");
    BOOST_TEST(id_of(graph.body, "salesContact") == sales_id, graph.body);
    BOOST_TEST(id_of(graph.body, "billingContact") == "10100", graph.body);
}

BOOST_FIXTURE_TEST_CASE(a_sales_contact_never_takes_the_billing_contacts_place, gateway_stack) {
    // Customer 300 has no contact at all: a sales contact written now would become the
    // oldest contact, which is read as the billing contact.
    reset_stats();
    auto r = put("/rest/customer/300/salesContact", sales_contact);
    BOOST_TEST(r.status == 400u, r.body);
    BOOST_TEST(element_text(r.body, "error").find("billingContact") != std::string::npos, r.body);
    BOOST_TEST(upstream_requests("POST /v1/customercontacts") == 0u);

    // Once it has a billing contact, the sales contact can follow.
    auto billing = put("/rest/customer/300/billingContact",
                       "<billingContact><firstName>Vaughan</firstName><lastName>Lawrence</lastName></billingContact>");
    BOOST_TEST_REQUIRE(billing.status == 200u, billing.body);
    const auto billing_id = id_of(billing.body, "billingContact");
    BOOST_TEST(billing_id != "<absent>", billing.body);
    BOOST_TEST(element_text(billing.body, "street1") == "51 Pickering Street");
    auto sales = put("/rest/customer/300/salesContact", sales_contact);
    BOOST_TEST_REQUIRE(sales.status == 200u, sales.body);
    BOOST_TEST(id_of(get("/rest/customer/300/billingContact").body, "billingContact") == billing_id);
    BOOST_TEST(element_text(get("/rest/customer/300/salesContact").body, "firstName") == "Sam");
}

BOOST_FIXTURE_TEST_CASE(contact_puts_refuse_bad_documents, gateway_stack) {
    auto wrong_root = put(by_id + "billingContact", sales_contact);
    BOOST_TEST(wrong_root.status == 400u, wrong_root.body);
    auto unknown = put(by_id + "salesContact", "<salesContact><nickname>x</nickname></salesContact>");
    BOOST_TEST(unknown.status == 400u, unknown.body);
    BOOST_TEST(element_text(unknown.body, "error").find("salesContact/nickname") != std::string::npos, unknown.body);
    auto empty = put(by_id + "billingContact", "");
    BOOST_TEST(empty.status == 400u, empty.body);
    auto on_missing = put("/rest/customer/999999/billingContact", billing_change);
    BOOST_TEST(on_missing.status == 404u, on_missing.body);
    auto removed = del(by_id + "billingContact");
    BOOST_TEST(removed.status == 405u, removed.body);
    // Nothing reached the contact records.
    auto contacts = upstream.get("/v1/customers/302/contacts");
    BOOST_TEST(occurrences(contacts.body, "\"customerContactID\"") == 1u, contacts.body);
    BOOST_TEST(member_of(contacts.body, "Name") == "\"Brielle\"");
}
