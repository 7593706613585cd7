// GET /rest/customers paging (4.1.3) and extCustomerRef resolution through the real
// gateway, its customer directory and the sandbox, including changes made directly in
// the sandbox (seen by the directory at its next refresh, 1 s in these tests).
#define BOOST_TEST_MODULE gateway_customer_lookup
#include <boost/test/unit_test.hpp>

#include "gateway_stack.hpp"

#include <algorithm>
#include <vector>

using namespace gateway_test;

namespace {

// Every customer id in the sandbox, read page by page, in the order the gateway lists
// them: ascending id (Billagain's creation order; the sandbox's fixture rows come first
// whatever their ids, so its own paging order differs for them).
std::vector<std::string> sandbox_ids(http_client& upstream) {
    std::vector<std::string> ids;
    for (int page = 1;; ++page) {
        auto r = upstream.get("/v1/customers?page=" + std::to_string(page) + "&page_size=200");
        std::size_t on_page = 0;
        const std::string key = "\"customerID\":";
        for (auto at = r.body.find(key); at != std::string::npos; at = r.body.find(key, at + 1)) {
            const auto start = at + key.size();
            ids.push_back(r.body.substr(start, r.body.find_first_of(",}", start) - start));
            ++on_page;
        }
        if (on_page < 200) break;
    }
    std::sort(ids.begin(), ids.end(),
              [](const std::string& a, const std::string& b) { return std::stoull(a) < std::stoull(b); });
    return ids;
}

std::vector<std::string> slice(const std::vector<std::string>& all, std::size_t offset, std::size_t max) {
    if (offset >= all.size()) return {};
    return {all.begin() + static_cast<std::ptrdiff_t>(offset),
            all.begin() + static_cast<std::ptrdiff_t>(std::min(all.size(), offset + max))};
}

}  // namespace

BOOST_FIXTURE_TEST_CASE(list_defaults_and_small_edges, refreshing_stack) {
    const auto all = sandbox_ids(upstream);
    BOOST_TEST_REQUIRE(all.size() == 6u);

    auto whole = get("/rest/customers?format=xml");
    BOOST_TEST_REQUIRE(whole.status == 200u, whole.body);
    BOOST_TEST(std::string(whole.headers[http::field::content_type]) == "application/xml; charset=utf-8");
    BOOST_TEST(listed_ids(whole.body) == all);
    BOOST_TEST(whole.body.find(secrets::payment_token) == std::string::npos);  // no payment token in lists either

    // One customer is still a list.
    auto one = get("/rest/customers?offset=1&max=1");
    BOOST_TEST_REQUIRE(one.status == 200u, one.body);
    BOOST_TEST(one.body.find("<list><customer id=\"" + all[1] + "\">") != std::string::npos, one.body);
    BOOST_TEST(listed_ids(one.body) == slice(all, 1, 1));

    // Past the end, and max=0: an empty list, still a document.
    for (const char* target : {"/rest/customers?offset=6", "/rest/customers?offset=5000&max=10", "/rest/customers?max=0"}) {
        auto empty = get(target);
        BOOST_TEST(empty.status == 200u, target);
        BOOST_TEST(listed_ids(empty.body).empty(), target);
        BOOST_TEST((empty.body.find("<list/>") != std::string::npos || empty.body.find("<list></list>") != std::string::npos),
                   empty.body);
    }
    BOOST_TEST(listed_ids(get("/rest/customers?offset=5&max=50").body) == slice(all, 5, 50));
}

BOOST_FIXTURE_TEST_CASE(list_refuses_bad_paging, refreshing_stack) {
    reset_stats();
    for (const char* target : {"/rest/customers?max=1001", "/rest/customers?max=100000", "/rest/customers?max=-1",
                               "/rest/customers?offset=x", "/rest/customers?offset=1&offset=2",
                               "/rest/customers?format=json"}) {
        auto r = get(target);
        BOOST_TEST(r.status == 400u, target << ": " << r.body);
        BOOST_TEST(r.body.find("<success>False</success>") != std::string::npos, r.body);
    }
    BOOST_TEST(element_text(get("/rest/customers?max=1001").body, "error") ==
               "max must be a whole number from 0 to 1000");
    BOOST_TEST(gateway_requests() == 0u);
}

// 4.1.9 names nine states: any of them (in any case) is a filter, anything else a 400 naming
// them. Billagain produces three; a filter on another finds no customer.
BOOST_FIXTURE_TEST_CASE(status_filters_take_the_nine_states_in_any_case, refreshing_stack) {
    auto bogus = get("/rest/customers?status=Dormant");
    BOOST_TEST(bogus.status == 400u, bogus.body);
    const auto message = element_text(bogus.body, "error");
    BOOST_TEST(message.find("unknown status 'Dormant'") == 0u, message);
    for (const char* state : {"Active", "Overdue1", "Overdue2", "Overdue3", "Suspended1", "Suspended2", "Suspended3",
                              "InActive1", "InActive2"}) {
        BOOST_TEST(message.find(state) != std::string::npos, state << " in " << message);
        BOOST_TEST(get(std::string("/rest/customers?status=") + state).status == 200u, state);
    }
    BOOST_TEST(listed_ids(get("/rest/customers?status=inactive1").body) ==
               listed_ids(get("/rest/customers?status=InActive1").body));
    BOOST_TEST(!listed_ids(get("/rest/customers?statusValue=ACTIVE").body).empty());
    BOOST_TEST(listed_ids(get("/rest/customers?status=Overdue2").body).empty());
}

// format=XML and actionName in any case are what a legacy client may send.
BOOST_FIXTURE_TEST_CASE(format_and_action_names_in_any_case, refreshing_stack) {
    auto r = get("/rest/customer/302?format=XML");
    BOOST_TEST(r.status == 200u, r.body);
    BOOST_TEST(r.body.find(R"(<customer id="302">)") != std::string::npos, r.body);
    BOOST_TEST(get("/rest/customers?format=Xml&max=1").status == 200u);
    auto suspended = post("/rest/customer/268?format=xml&actionName=SUSPEND", "");
    BOOST_TEST(suspended.status == 200u, suspended.body);
    auto active = post("/rest/customer/268?format=xml&actionName=Activate", "");
    BOOST_TEST(active.status == 200u, active.body);
}

BOOST_FIXTURE_TEST_CASE(list_pages_across_billagain_pages, refreshing_stack) {
    auto bulk = control.request(http::verb::post, "/_sandbox/customers/bulk?count=450");
    BOOST_TEST_REQUIRE(bulk.status == 201u, bulk.body);
    await_refresh();
    const auto all = sandbox_ids(upstream);
    BOOST_TEST_REQUIRE(all.size() == 456u);

    struct window {
        std::size_t offset, max;
    };
    for (const auto w : {window{0, 200}, window{190, 20}, window{199, 2}, window{200, 200}, window{333, 123},
                         window{450, 50}, window{455, 10}, window{456, 10}, window{1, 200}}) {
        const std::string target =
            "/rest/customers?offset=" + std::to_string(w.offset) + "&max=" + std::to_string(w.max);
        auto r = get(target);
        BOOST_TEST_REQUIRE(r.status == 200u, target << ": " << r.body);
        BOOST_TEST(listed_ids(r.body) == slice(all, w.offset, w.max), target);
    }
    // Any window costs one upstream request for the page's records by id (however many
    // customers there are and wherever the window falls) and one contacts read per customer
    // listed, so each shows its billingContact as GET by id does.
    struct cost {
        const char* target;
        unsigned listed;
    };
    for (const auto c : {cost{"/rest/customers?offset=10&max=50", 50}, cost{"/rest/customers?offset=190&max=20", 20},
                         cost{"/rest/customers?offset=0&max=200", 200},
                         cost{"/rest/customers?search=customer&offset=300", 50}}) {
        reset_stats();
        auto r = get(c.target);
        BOOST_TEST(r.status == 200u);
        BOOST_TEST(listed_ids(r.body).size() == c.listed, c.target);
        BOOST_TEST(upstream_requests("POST /v1/by_customer_ids") == 1u, c.target);
        BOOST_TEST(upstream_requests("GET /v1/customers/{id}/contacts") == c.listed, c.target);
    }
    // A page larger than Billagain's 200 ids per call: as many by_customer_ids calls as it needs.
    for (const auto w : {window{0, 456}, window{100, 1000}, window{0, 201}}) {
        const std::string target =
            "/rest/customers?offset=" + std::to_string(w.offset) + "&max=" + std::to_string(w.max);
        reset_stats();
        auto r = get(target);
        BOOST_TEST_REQUIRE(r.status == 200u, target << ": " << r.body);
        BOOST_TEST(listed_ids(r.body) == slice(all, w.offset, w.max), target);
        const auto listed = std::min<std::size_t>(w.max, all.size() - w.offset);
        BOOST_TEST(upstream_requests("POST /v1/by_customer_ids") == (listed + 199) / 200, target);
    }
    // A window past the end needs no upstream request at all.
    reset_stats();
    BOOST_TEST(get("/rest/customers?offset=5000").status == 200u);
    BOOST_TEST(gateway_requests() == 0u);
}

BOOST_FIXTURE_TEST_CASE(a_reference_shared_by_two_customers_is_400_naming_both, refreshing_stack) {
    const auto first = create_customer("bj444");
    const auto second = create_customer("bj555");
    // Billagain itself does not refuse a second customer with one reference.
    set_reference_in_sandbox(first, "shared");
    set_reference_in_sandbox(second, "shared");
    await_refresh();

    for (const char* target : {"/rest/customer?extCustomerRef=shared", "/rest/customer/billingContact?extCustomerRef=shared",
                               "/rest/customer/salesContact?extCustomerRef=shared",
                               "/rest/customer/autopay?extCustomerRef=shared"}) {
        auto r = get(target);
        BOOST_TEST(r.status == 400u, target << ": " << r.body);
        const auto message = element_text(r.body, "error");
        BOOST_TEST(message.find(first) != std::string::npos, message);
        BOOST_TEST(message.find(second) != std::string::npos, message);
    }
    // Creating a third one with that reference is refused as well.
    BOOST_TEST(post("/rest/customers", customer_xml("shared")).status == 400u);
}

BOOST_FIXTURE_TEST_CASE(a_write_never_picks_one_of_two_customers_sharing_a_reference, refreshing_stack) {
    // bj444 is resolved through the gateway before a second customer is given the same
    // reference outside it: once the directory has seen that, writes refuse.
    const auto first = create_customer("bj444");
    const auto second = create_customer("bj555");
    BOOST_TEST_REQUIRE(id_of(get("/rest/customer?extCustomerRef=bj444").body, "customer") == first);
    set_reference_in_sandbox(second, "bj444");
    await_refresh();

    reset_stats();
    for (auto r : {put("/rest/customer?extCustomerRef=bj444", "<customer><name>x</name></customer>"),
                   put("/rest/customer/billingContact?extCustomerRef=bj444", "<billingContact><firstName>x</firstName></billingContact>"),
                   del("/rest/customer?extCustomerRef=bj444"),
                   post("/rest/customer?extCustomerRef=bj444&actionName=suspend", ""),
                   post("/rest/customer/autopay?extCustomerRef=bj444", seed_autopay_xml)}) {
        BOOST_TEST(r.status == 400u, r.body);
        BOOST_TEST(element_text(r.body, "error").find(first) != std::string::npos, r.body);
        BOOST_TEST(element_text(r.body, "error").find(second) != std::string::npos, r.body);
    }
    BOOST_TEST(upstream_requests("PUT /v1/customers/{id}") == 0u);
    BOOST_TEST(upstream_requests("PUT /v1/customercontacts/{id}") == 0u);
    BOOST_TEST(upstream_requests("DELETE /v1/customers/{id}") == 0u);
    BOOST_TEST(upstream_requests("PUT /v1/customers/{id}/archive") == 0u);
    BOOST_TEST(upstream_requests("POST /v1/paymentmethods/creditcard") == 0u);
    // Reads refuse too.
    BOOST_TEST(get("/rest/customer?extCustomerRef=bj444").status == 400u);
}

BOOST_FIXTURE_TEST_CASE(a_reference_moved_in_the_sandbox_never_answers_the_wrong_customer, refreshing_stack) {
    const auto first = create_customer("bj444");
    const auto second = create_customer("bj555");
    BOOST_TEST_REQUIRE(id_of(get("/rest/customer?extCustomerRef=bj444").body, "customer") == first);

    // Outside the gateway, bj444 moves to another customer. Before the directory has
    // refreshed, the customer it knew no longer carries the reference: the read notices,
    // corrects the directory and answers 404 — never the wrong customer.
    set_reference_in_sandbox(first, "bj-old");
    set_reference_in_sandbox(second, "bj444");
    auto stale = get("/rest/customer?extCustomerRef=bj444");
    BOOST_TEST(stale.status == 404u, stale.body);
    BOOST_TEST(get("/rest/customer?extCustomerRef=bj-old").status == 200u);  // learnt from that read

    // After the refresh the reference leads to the customer that has it now.
    await_refresh();
    auto moved = get("/rest/customer?extCustomerRef=bj444");
    BOOST_TEST(moved.status == 200u, moved.body);
    BOOST_TEST(id_of(moved.body, "customer") == second, moved.body);
    BOOST_TEST(element_text(moved.body, "extCustomerRef") == "bj444");

    // A write through a stale entry never lands on the customer that lost the reference.
    set_reference_in_sandbox(second, "bj-gone");
    set_reference_in_sandbox(first, "bj444");
    auto put_stale = put("/rest/customer?extCustomerRef=bj444", "<customer><name>Wrong One</name></customer>");
    BOOST_TEST(put_stale.status == 404u, put_stale.body);
    BOOST_TEST(upstream.get("/v1/customers/" + second).body.find("Wrong") == std::string::npos);
    await_refresh();
    auto put_r = put("/rest/customer?extCustomerRef=bj444", "<customer><name>Right One</name></customer>");
    BOOST_TEST(put_r.status == 200u, put_r.body);
    BOOST_TEST(id_of(put_r.body, "customer") == first);
    BOOST_TEST(upstream.get("/v1/customers/" + second).body.find("Right") == std::string::npos);

    // A reference nobody has any more is 404.
    set_reference_in_sandbox(first, "bj-elsewhere");
    BOOST_TEST(get("/rest/customer?extCustomerRef=bj444").status == 404u);
    BOOST_TEST(del("/rest/customer?extCustomerRef=bj444").status == 404u);
    BOOST_TEST(upstream.get("/v1/customers/" + first).status == 200u);
}

BOOST_FIXTURE_TEST_CASE(a_customer_deleted_in_the_sandbox_is_404_by_reference, refreshing_stack) {
    const auto id = create_customer("bj444");
    BOOST_TEST_REQUIRE(get("/rest/customer?extCustomerRef=bj444").status == 200u);
    BOOST_TEST_REQUIRE(upstream.request(http::verb::delete_, "/v1/customers/" + id).status == 204u);
    BOOST_TEST(get("/rest/customer?extCustomerRef=bj444").status == 404u);
    // The reference is free again for a create.
    BOOST_TEST(post("/rest/customers", customer_xml("bj444")).status == 200u);
}

BOOST_FIXTURE_TEST_CASE(search_and_status_filter_the_list, refreshing_stack) {
    const auto created = create_customer("bj444");
    auto by_ref = get("/rest/customers?format=xml&search=BJ44");
    BOOST_TEST_REQUIRE(by_ref.status == 200u, by_ref.body);
    BOOST_TEST(listed_ids(by_ref.body) == std::vector<std::string>{created});
    BOOST_TEST(listed_ids(get("/rest/customers?search=brielle").body) == std::vector<std::string>{"302"});
    BOOST_TEST(listed_ids(get("/rest/customers?search=bill%20jos").body) == std::vector<std::string>{created});
    BOOST_TEST(listed_ids(get("/rest/customers?search=POQO@hotmail").body) == std::vector<std::string>{"302"});
    BOOST_TEST(listed_ids(get("/rest/customers?search=nobody-has-this").body).empty());

    BOOST_TEST_REQUIRE(post("/rest/customer/300?actionName=suspend", "").status == 200u);
    // Suspended through the gateway: Suspended1 (issue 12), not InActive1.
    BOOST_TEST(listed_ids(get("/rest/customers?status=Suspended1").body) == std::vector<std::string>{"300"});
    BOOST_TEST(listed_ids(get("/rest/customers?status=InActive1").body).empty());
    auto active = listed_ids(get("/rest/customers?status=Active").body);
    BOOST_TEST(active.size() == 6u);
    BOOST_TEST((std::find(active.begin(), active.end(), "300") == active.end()));
    BOOST_TEST(listed_ids(get("/rest/customers?statusValue=Overdue1").body).empty());

    // Filters combine with paging: offset and max count matches, not Billagain records.
    const auto all_active = active;
    BOOST_TEST(listed_ids(get("/rest/customers?status=Active&offset=2&max=3").body) == slice(all_active, 2, 3));
    BOOST_TEST(listed_ids(get("/rest/customers?status=Active&search=bj444&offset=1").body).empty());
}

// A customer in a list carries what GET by id shows, contacts included (4.1.3 lists customers
// as 4.1.1 returns them).
BOOST_FIXTURE_TEST_CASE(a_listed_customer_is_what_get_by_id_shows, refreshing_stack) {
    const auto id = create_customer("bj444");
    auto one = get("/rest/customer/" + id + "?format=xml");
    BOOST_TEST_REQUIRE(one.status == 200u, one.body);
    const auto start = one.body.find("<customer id=");
    BOOST_TEST_REQUIRE(start != std::string::npos);
    const auto customer = one.body.substr(start);
    BOOST_TEST(customer.find("<billingContact id=") != std::string::npos, customer);

    auto listed = get("/rest/customers?format=xml&search=bj444");
    BOOST_TEST_REQUIRE(listed.status == 200u, listed.body);
    const auto item = listed.body.find("<customer id=");
    BOOST_TEST_REQUIRE(item != std::string::npos, listed.body);
    BOOST_TEST(listed.body.substr(item) == customer + "</list>");
}
