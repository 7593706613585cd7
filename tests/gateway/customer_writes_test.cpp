// PUT (read-merge-write), DELETE and suspend/activate of a customer (4.1.5, 4.1.6, 4.1.8)
// through the real gateway and sandbox, by id and by extCustomerRef.
#define BOOST_TEST_MODULE gateway_customer_writes
#include <boost/test/unit_test.hpp>

#include "gateway_stack.hpp"

#include <thread>

using namespace gateway_test;

BOOST_FIXTURE_TEST_CASE(put_keeps_every_field_the_request_leaves_out, gateway_stack) {
    // Customer 300: a company, isWaiveTaxes true, fields BluBilling does not map at all.
    auto before = upstream.get("/v1/customers/300");
    auto r = put("/rest/customer/300?format=xml",
                 "<customer><billingContact><address><city>Cape Town</city></address></billingContact></customer>");
    BOOST_TEST_REQUIRE(r.status == 200u, r.body);
    BOOST_TEST(r.body.find(R"(<customer id="300">)") != std::string::npos, r.body);
    BOOST_TEST(element_text(r.body, "city") == "Cape Town");
    BOOST_TEST(element_text(r.body, "street1") == "51 Pickering Street");
    BOOST_TEST(element_text(r.body, "extCustomerRef") == "123123111");
    BOOST_TEST(element_text(r.body, "name") == "Vaughan Lawrence");

    auto after = upstream.get("/v1/customers/300");
    BOOST_TEST(member_of(after.body, "City") == "\"Cape Town\"");
    for (const char* unchanged : {"isWaiveTaxes", "isCompany", "Name", "LastName", "RegistrationNumber", "VatNo",
                                  "Company", "EmailCC", "Fax", "PrimaryGatewayID", "PaymentMethod", "Balance",
                                  "Reference", "Address1", "Address2", "ZipCode", "countryID", "CurrencyCode",
                                  "CreatedDate", "autoSendInvoice"}) {
        BOOST_TEST(member_of(after.body, unchanged) == member_of(before.body, unchanged), unchanged);
    }
    BOOST_TEST(member_of(after.body, "isWaiveTaxes") == "true");
}

BOOST_FIXTURE_TEST_CASE(put_changes_what_it_names_and_answers_the_record_read_back, gateway_stack) {
    const auto id = create_customer("bj444");
    auto r = put("/rest/customer/" + id + "?format=xml", R"(<customer>
<name>William Joseph</name>
<isBusinessAccount>false</isBusinessAccount>
<currency id="ZAR"/>
<billingContact>
<emailPrimary>will@example.com</emailPrimary>
<address><street1>1 New Road</street1></address>
</billingContact>
</customer>)");
    BOOST_TEST_REQUIRE(r.status == 200u, r.body);
    BOOST_TEST(element_text(r.body, "name") == "William Joseph");
    BOOST_TEST(r.body.find(R"(<currency id="ZAR"/>)") != std::string::npos, r.body);
    BOOST_TEST(element_text(r.body, "emailPrimary") == "will@example.com");
    BOOST_TEST(element_text(r.body, "street1") == "1 New Road");
    BOOST_TEST(element_text(r.body, "city") == "Chicago");
    BOOST_TEST(element_text(r.body, "username") == "bill0004");
    BOOST_TEST(r.body == get("/rest/customer/" + id).body);

    auto stored = upstream.get("/v1/customers/" + id);
    BOOST_TEST(member_of(stored.body, "Name") == "\"William\"");
    BOOST_TEST(member_of(stored.body, "LastName") == "\"Joseph\"");
    BOOST_TEST(member_of(stored.body, "CurrencyCode") == "\"ZAR\"");
    BOOST_TEST(member_of(stored.body, "Tel") == "\"324 555 879\"");
    BOOST_TEST(member_of(stored.body, "isWaiveTaxes") == "false");
}

BOOST_FIXTURE_TEST_CASE(a_name_alone_replaces_the_whole_name, gateway_stack) {
    // An individual's name is stored split; a PUT naming only <name> must not leave the
    // old last name behind.
    const auto id = create_customer("bj444");
    auto r = put("/rest/customer/" + id, "<customer><name>Jack Black</name></customer>");
    BOOST_TEST_REQUIRE(r.status == 200u, r.body);
    BOOST_TEST(element_text(r.body, "name") == "Jack Black");
    BOOST_TEST(element_text(get("/rest/customer/" + id).body, "name") == "Jack Black");
}

BOOST_FIXTURE_TEST_CASE(a_customer_read_can_be_put_back_unchanged, gateway_stack) {
    // "A GET returns the element names a POST takes, so a client can GET, change and PUT back."
    auto read = get("/rest/customer/302");
    BOOST_TEST_REQUIRE(read.status == 200u);
    std::string xml = read.body;
    const std::string from = "<city>Port Elizabeth</city>";
    xml.replace(xml.find(from), from.size(), "<city>Uitenhage</city>");
    auto r = put("/rest/customer/302", xml);
    BOOST_TEST_REQUIRE(r.status == 200u, r.body);
    std::string expected = read.body;
    expected.replace(expected.find(from), from.size(), "<city>Uitenhage</city>");
    BOOST_TEST(r.body == expected);
    BOOST_TEST(member_of(upstream.get("/v1/customers/302").body, "Balance") == "500.5000");
}

BOOST_FIXTURE_TEST_CASE(put_by_reference_can_move_the_reference, gateway_stack) {
    const auto id = create_customer("bj444");
    auto r = put("/rest/customer?format=xml&extCustomerRef=bj444",
                 "<customer><extCustomerRef>bj555</extCustomerRef></customer>");
    BOOST_TEST_REQUIRE(r.status == 200u, r.body);
    BOOST_TEST(id_of(r.body, "customer") == id);
    BOOST_TEST(element_text(r.body, "extCustomerRef") == "bj555");
    BOOST_TEST(member_of(upstream.get("/v1/customers/" + id).body, "Reference") == "\"bj555\"");

    BOOST_TEST(get("/rest/customer?extCustomerRef=bj444").status == 404u);
    auto moved = get("/rest/customer?extCustomerRef=bj555");
    BOOST_TEST(moved.status == 200u);
    BOOST_TEST(id_of(moved.body, "customer") == id);
    // The old reference is free again.
    BOOST_TEST(create_customer("bj444") != id);
}

BOOST_FIXTURE_TEST_CASE(put_to_a_reference_in_use_is_refused, gateway_stack) {
    const auto first = create_customer("bj444");
    const auto second = create_customer("bj555");
    reset_stats();
    auto r = put("/rest/customer/" + second, "<customer><extCustomerRef>bj444</extCustomerRef></customer>");
    BOOST_TEST(r.status == 400u, r.body);
    BOOST_TEST(element_text(r.body, "error").find("bj444") != std::string::npos, r.body);
    BOOST_TEST(upstream_requests("PUT /v1/customers/{id}") == 0u);
    BOOST_TEST(id_of(get("/rest/customer?extCustomerRef=bj444").body, "customer") == first);
}

BOOST_FIXTURE_TEST_CASE(concurrent_puts_of_one_customer_both_survive, gateway_stack) {
    // Slow every read and write of customer 302 so the two read-merge-writes overlap
    // unless the gateway serialises them.
    add_fault(R"({"kind":"latency","latency_ms":150,"path_prefix":"/v1/customers/302"})");
    http_client first{gateway->host(), gateway->port()};
    http_client second{gateway->host(), gateway->port()};
    first.set_basic_auth(user, password);
    second.set_basic_auth(user, password);
    const auto put_xml = [](http_client& c, std::string xml, unsigned& status) {
        status = c.request(http::verb::put, "/rest/customer/302?format=xml", std::move(xml),
                           {{"Content-Type", "application/xml"}})
                     .status;
    };
    unsigned status_a = 0, status_b = 0;
    std::thread a(put_xml, std::ref(first),
                  "<customer><billingContact><address><city>Durban</city></address></billingContact></customer>",
                  std::ref(status_a));
    std::thread b(put_xml, std::ref(second),
                  "<customer><billingContact><workPhone>+27 31 000 0000</workPhone></billingContact></customer>",
                  std::ref(status_b));
    a.join();
    b.join();
    clear_faults();
    BOOST_TEST(status_a == 200u);
    BOOST_TEST(status_b == 200u);
    auto stored = upstream.get("/v1/customers/302");
    BOOST_TEST(member_of(stored.body, "City") == "\"Durban\"", stored.body);
    BOOST_TEST(member_of(stored.body, "Tel") == "\"+27 31 000 0000\"", stored.body);
}

BOOST_FIXTURE_TEST_CASE(put_refuses_bad_requests_without_writing, gateway_stack) {
    reset_stats();
    BOOST_TEST(put("/rest/customer/302", "").status == 400u);
    BOOST_TEST(put("/rest/customer/302", "<customer><isBusinessAccount>maybe</isBusinessAccount></customer>").status == 400u);
    BOOST_TEST(put("/rest/customer/302", "<billingContact/>").status == 400u);
    BOOST_TEST(put("/rest/customer/999999", "<customer><name>x</name></customer>").status == 404u);
    BOOST_TEST(put("/rest/customer?extCustomerRef=nobody", "<customer><name>x</name></customer>").status == 404u);
    BOOST_TEST(upstream_requests("PUT /v1/customers/{id}") == 0u);
}

BOOST_FIXTURE_TEST_CASE(delete_by_id_confirms_and_a_second_delete_is_404, gateway_stack) {
    const auto id = create_customer("bj444");
    auto r = del("/rest/customer/" + id + "?format=xml");
    BOOST_TEST_REQUIRE(r.status == 200u, r.body);
    BOOST_TEST(std::string(r.headers[http::field::content_type]) == "application/xml; charset=utf-8");
    BOOST_TEST(r.body.find("<status><success>True</success>") != std::string::npos, r.body);
    BOOST_TEST(element_text(r.body, "id") == id);
    BOOST_TEST(element_text(r.body, "extCustomerRef") == "bj444");
    BOOST_TEST(upstream.get("/v1/customers/" + id).status == 410u);
    BOOST_TEST(upstream.get("/v1/customers/" + id + "/contacts").status == 410u);

    auto again = del("/rest/customer/" + id + "?format=xml");
    BOOST_TEST(again.status == 404u, again.body);
    BOOST_TEST(again.body.find("<success>False</success>") != std::string::npos, again.body);
    BOOST_TEST(get("/rest/customer?extCustomerRef=bj444").status == 404u);
}

BOOST_FIXTURE_TEST_CASE(delete_by_reference_confirms_and_a_second_delete_is_404, gateway_stack) {
    const auto id = create_customer("bj444");
    BOOST_TEST(get("/rest/customer?extCustomerRef=bj444").status == 200u);  // cached now
    auto r = del("/rest/customer?format=xml&extCustomerRef=bj444");
    BOOST_TEST_REQUIRE(r.status == 200u, r.body);
    BOOST_TEST(r.body.find("<success>True</success>") != std::string::npos, r.body);
    BOOST_TEST(element_text(r.body, "id") == id);
    BOOST_TEST(upstream.get("/v1/customers/" + id).status == 410u);
    BOOST_TEST(del("/rest/customer?format=xml&extCustomerRef=bj444").status == 404u);
    BOOST_TEST(get("/rest/customer/" + id).status == 404u);
}

BOOST_FIXTURE_TEST_CASE(suspend_and_activate_by_id, gateway_stack) {
    auto suspended = post("/rest/customer/302?format=xml&actionName=suspend", "");
    BOOST_TEST_REQUIRE(suspended.status == 200u, suspended.body);
    BOOST_TEST(suspended.body.find("<success>True</success>") != std::string::npos, suspended.body);
    BOOST_TEST(element_text(suspended.body, "id") == "302");
    auto stored = upstream.get("/v1/customers/302");
    BOOST_TEST(member_of(stored.body, "isActive") == "false");
    BOOST_TEST(member_of(stored.body, "comp_status") == "\"Archived\"");
    // Billagain's archived customer is BluBilling's inactive one (mappings/value_maps.yaml).
    BOOST_TEST(element_text(get("/rest/customer/302").body, "status") == "Suspended1");

    auto activated = post("/rest/customer/302?format=xml&actionName=activate", "");
    BOOST_TEST_REQUIRE(activated.status == 200u, activated.body);
    BOOST_TEST(member_of(upstream.get("/v1/customers/302").body, "isActive") == "true");
    BOOST_TEST(element_text(get("/rest/customer/302").body, "status") == "Active");
}

BOOST_FIXTURE_TEST_CASE(suspend_and_activate_by_reference, gateway_stack) {
    const auto id = create_customer("bj444");
    auto suspended = post("/rest/customer?format=xml&extCustomerRef=bj444&actionName=suspend", "");
    BOOST_TEST_REQUIRE(suspended.status == 200u, suspended.body);
    BOOST_TEST(element_text(suspended.body, "extCustomerRef") == "bj444");
    BOOST_TEST(member_of(upstream.get("/v1/customers/" + id).body, "isActive") == "false");
    auto read = get("/rest/customer?extCustomerRef=bj444");
    BOOST_TEST(read.status == 200u);  // a suspended customer is still found by reference
    BOOST_TEST(element_text(read.body, "status") == "Suspended1");

    auto activated = post("/rest/customer?format=xml&extCustomerRef=bj444&actionName=activate", "");
    BOOST_TEST_REQUIRE(activated.status == 200u, activated.body);
    BOOST_TEST(member_of(upstream.get("/v1/customers/" + id).body, "isActive") == "true");
    BOOST_TEST(element_text(get("/rest/customer?extCustomerRef=bj444").body, "status") == "Active");

    BOOST_TEST(post("/rest/customer?extCustomerRef=bj444&actionName=cancel", "").status == 400u);
    BOOST_TEST(post("/rest/customer/999999?actionName=suspend", "").status == 404u);
}

BOOST_FIXTURE_TEST_CASE(an_empty_reference_is_no_reference, gateway_stack) {
    // Two customers may both have an empty extCustomerRef; neither blocks the other.
    std::string first = customer_xml("");
    BOOST_TEST_REQUIRE(post("/rest/customers", first).status == 200u);
    auto second = post("/rest/customers", first);
    BOOST_TEST(second.status == 200u, second.body);
    const auto id = create_customer("bj444");
    auto cleared = put("/rest/customer/" + id, "<customer><extCustomerRef></extCustomerRef></customer>");
    BOOST_TEST(cleared.status == 200u, cleared.body);
    BOOST_TEST(member_of(upstream.get("/v1/customers/" + id).body, "Reference") == "\"\"");
    BOOST_TEST(get("/rest/customer?extCustomerRef=bj444").status == 404u);
}

BOOST_FIXTURE_TEST_CASE(put_customer_writes_its_contacts_in_their_places, gateway_stack) {
    // Customer 300 has no contact: a salesContact alone would become its first contact,
    // read back as the billing contact, so it is refused before anything is written.
    reset_stats();
    auto refused = put("/rest/customer/300",
                       "<customer><salesContact><firstName>Sam</firstName></salesContact></customer>");
    BOOST_TEST(refused.status == 400u, refused.body);
    BOOST_TEST(upstream_requests("PUT /v1/customers/{id}") == 0u);
    BOOST_TEST(upstream_requests("POST /v1/customercontacts") == 0u);

    // With billing contact data in the same PUT, the billing contact is written first.
    auto both = put("/rest/customer/300", R"(<customer>
<billingContact><firstName>Vaughan</firstName><emailPrimary>v@law.example</emailPrimary></billingContact>
<salesContact><firstName>Sam</firstName><emailPrimary>sam@law.example</emailPrimary></salesContact>
</customer>)");
    BOOST_TEST_REQUIRE(both.status == 200u, both.body);
    BOOST_TEST(element_text(element_xml(both.body, "billingContact"), "firstName") == "Vaughan", both.body);
    BOOST_TEST(element_text(element_xml(both.body, "salesContact"), "firstName") == "Sam", both.body);
    auto contacts = upstream.get("/v1/customers/300/contacts");
    BOOST_TEST(occurrences(contacts.body, "\"customerContactID\"") == 2u, contacts.body);
    BOOST_TEST(contacts.body.find("Vaughan") < contacts.body.find("Sam"), contacts.body);
    BOOST_TEST(member_of(upstream.get("/v1/customers/300").body, "Email") == "\"v@law.example\"");

    // A later PUT changes the sales contact in place.
    auto again = put("/rest/customer/300", "<customer><salesContact><lastName>Seller</lastName></salesContact></customer>");
    BOOST_TEST_REQUIRE(again.status == 200u, again.body);
    BOOST_TEST(element_text(element_xml(again.body, "salesContact"), "firstName") == "Sam");
    BOOST_TEST(element_text(element_xml(again.body, "salesContact"), "lastName") == "Seller");
    BOOST_TEST(occurrences(upstream.get("/v1/customers/300/contacts").body, "\"customerContactID\"") == 2u);
}

BOOST_FIXTURE_TEST_CASE(update_whose_contact_write_fails_leaves_the_record_as_it_was, gateway_stack) {
    const auto id = create_customer("bj444");
    auto before = upstream.get("/v1/customers/" + id);
    add_fault(R"({"kind":"status","status":500,"count":1,"path_prefix":"/v1/customercontacts","method":"PUT"})");
    auto r = put("/rest/customer/" + id + "?format=xml",
                 "<customer><name>William Joseph</name><billingContact><firstName>William</firstName>"
                 "<address><city>Boston</city></address></billingContact></customer>");
    BOOST_TEST(r.status == 502u, r.body);
    BOOST_TEST(r.body.find("nothing was changed (the update was undone)") != std::string::npos, r.body);
    auto after = upstream.get("/v1/customers/" + id);
    for (const char* member : {"Name", "LastName", "City"}) {
        BOOST_TEST(member_of(after.body, member) == member_of(before.body, member), member);
    }
    auto shown = get("/rest/customer/" + id);
    BOOST_TEST(element_text(shown.body, "name") == "Bill Joseph");
    BOOST_TEST(element_text(shown.body, "firstName") == "Bill");
    BOOST_TEST(element_text(shown.body, "city") == "Chicago");
}

BOOST_FIXTURE_TEST_CASE(an_update_that_cannot_be_undone_says_so_and_a_retry_completes_it, gateway_stack) {
    const auto id = create_customer("bj444");
    // The contact write fails, and so does putting the contact back.
    add_fault(R"({"kind":"status","status":500,"count":2,"path_prefix":"/v1/customercontacts","method":"PUT"})");
    const std::string update = "<customer><name>William Joseph</name><billingContact><firstName>William</firstName>"
                               "</billingContact></customer>";
    auto r = put("/rest/customer/" + id + "?format=xml", update);
    BOOST_TEST(r.status == 502u, r.body);
    BOOST_TEST(r.body.find("only partly written") != std::string::npos, r.body);
    BOOST_TEST(r.body.find("send the same request again") != std::string::npos, r.body);
    auto retried = put("/rest/customer/" + id + "?format=xml", update);
    BOOST_TEST_REQUIRE(retried.status == 200u, retried.body);
    BOOST_TEST(element_text(retried.body, "name") == "William Joseph");
    BOOST_TEST(element_text(retried.body, "firstName") == "William");
}

namespace {

struct conflict_409_stack : gateway_stack {
    static stack_options asks_for_409() {
        stack_options o;
        o.extra_config = "responses:\n  conflict_status: 409\n";
        return o;
    }
    conflict_409_stack() : gateway_stack(asks_for_409()) {}
};

}  // namespace

BOOST_FIXTURE_TEST_CASE(a_duplicate_reference_is_409_when_the_configuration_asks, conflict_409_stack) {
    const auto first = create_customer("bj444");
    const auto second = create_customer("bj555");
    auto created = post("/rest/customers", "<customer><name>Again</name><extCustomerRef>bj444</extCustomerRef></customer>");
    BOOST_TEST(created.status == 409u, created.body);
    auto moved = put("/rest/customer/" + second, "<customer><extCustomerRef>bj444</extCustomerRef></customer>");
    BOOST_TEST(moved.status == 409u, moved.body);
    BOOST_TEST(element_text(moved.body, "error") ==
                   "extCustomerRef 'bj444' is already used by customer " + first + "; customer " + second +
                       " was not changed",
               moved.body);
    // Other failures keep their own status: a missing customer is still 404.
    BOOST_TEST(get("/rest/customer/999999").status == 404u);
}

// BluBilling elements Billagain has no field for are kept by the gateway and read back
// (issue 12); Billagain never sees them, and an update merges them as it merges the rest.
BOOST_FIXTURE_TEST_CASE(elements_without_a_billagain_field_are_kept_and_read_back, gateway_stack) {
    auto created = post("/rest/customers?format=xml", R"(<customer>
<name>Kay Kept</name>
<extCustomerRef>kept-1</extCustomerRef>
<locale>de_DE</locale>
<crmCustomerId>CRM-7</crmCustomerId>
<erpCustomerId>ERP-9</erpCustomerId>
<paymentTermsValue>45</paymentTermsValue>
<paymentTermsUnits>Weeks</paymentTermsUnits>
<currency id="USD"/>
<billingContact><firstName>Kay</firstName><lastName>Kept</lastName><emailPrimary>kay@example.com</emailPrimary>
<accountLocked>true</accountLocked></billingContact>
<salesContact><firstName>Sal</firstName><lastName>Es</lastName><emailPrimary>sal@example.com</emailPrimary>
<mobilePhone>555 1</mobilePhone><fax>555 2</fax><accountLocked>false</accountLocked>
<address><street1>9 Sales Rd</street1><city>Durban</city><countryCode>ZA</countryCode></address></salesContact>
</customer>)");
    BOOST_TEST_REQUIRE(created.status == 200u, created.body);
    const auto id = id_of(created.body, "customer");
    auto got = get("/rest/customer/" + id);
    BOOST_TEST(got.body == created.body);
    for (auto [element, value] : std::initializer_list<std::pair<const char*, const char*>>{
             {"locale", "de_DE"}, {"crmCustomerId", "CRM-7"}, {"erpCustomerId", "ERP-9"}, {"paymentTermsValue", "45"},
             {"paymentTermsUnits", "Weeks"}, {"mobilePhone", "555 1"}, {"fax", "555 2"}, {"street1", "9 Sales Rd"}}) {
        BOOST_TEST(got.body.find(std::string("<") + element + ">" + value + "</" + element + ">") != std::string::npos,
                   element);
    }
    BOOST_TEST(got.body.find("<accountLocked>true</accountLocked>") != std::string::npos, got.body);
    BOOST_TEST(got.body.find("<accountLocked>false</accountLocked>") != std::string::npos, got.body);
    BOOST_TEST(upstream.get("/v1/customers/" + id).body.find("GatewayKept") == std::string::npos);
    BOOST_TEST(upstream.get("/v1/customers/" + id + "/contacts").body.find("GatewayKept") == std::string::npos);

    // An update names one of them: the others stay.
    auto updated = put("/rest/customer/" + id + "?format=xml", "<customer><locale>fr_FR</locale></customer>");
    BOOST_TEST_REQUIRE(updated.status == 200u, updated.body);
    BOOST_TEST(element_text(updated.body, "locale") == "fr_FR");
    BOOST_TEST(element_text(updated.body, "crmCustomerId") == "CRM-7");
    auto sales = get("/rest/customer/" + id + "/salesContact");
    BOOST_TEST(element_text(sales.body, "fax") == "555 2", sales.body);
    BOOST_TEST(element_text(sales.body, "city") == "Durban");

    // A GET put back unchanged keeps every kept element, and answers what it read.
    auto before = get("/rest/customer/" + id);
    auto put_back = put("/rest/customer/" + id + "?format=xml", before.body);
    BOOST_TEST_REQUIRE(put_back.status == 200u, put_back.body);
    BOOST_TEST(put_back.body == before.body);
    BOOST_TEST(get("/rest/customer/" + id).body == before.body);

    // Deleted: what was kept of it goes too.
    BOOST_TEST_REQUIRE(client.request(http::verb::delete_, "/rest/customer/" + id).status == 200u);
    BOOST_TEST(get("/rest/customer/" + id).status == 404u);
}
