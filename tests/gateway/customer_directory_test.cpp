// The customer directory through the real gateway and sandbox: reference lookups
// without scans, date filters, changes made directly in the sandbox picked up by the
// next refresh, transitions, and a restart that keeps the directory.
#define BOOST_TEST_MODULE gateway_customer_directory
#include <boost/test/unit_test.hpp>

#include "gateway_stack.hpp"

#include <algorithm>
#include <ctime>

using namespace gateway_test;

namespace {

// Now plus `seconds`, as UTC text in strftime `format`.
std::string utc_text(std::time_t seconds, const char* format) {
    const std::time_t t = std::time(nullptr) + seconds;
    std::tm tm{};
    gmtime_r(&t, &tm);
    char text[32];
    std::strftime(text, sizeof text, format, &tm);
    return text;
}

// `YYYYMMDDHHmm` of now plus `minutes`, as BluBilling's list filters take it.
std::string compact_minute(int minutes) { return utc_text(minutes * 60, "%Y%m%d%H%M"); }

// `YYYY-MM-DD` of today plus `days`.
std::string iso_day(int days) { return utc_text(days * 86400, "%Y-%m-%d"); }

std::vector<std::string> sorted(std::vector<std::string> ids) {
    std::sort(ids.begin(), ids.end(), [](const std::string& a, const std::string& b) { return std::stoull(a) < std::stoull(b); });
    return ids;
}

const std::vector<std::string> fixture_ids{"268", "269", "300", "302", "303", "10622"};

}  // namespace

BOOST_FIXTURE_TEST_CASE(a_reference_lookup_costs_what_a_lookup_by_id_costs, gateway_stack) {
    const auto id = create_customer("bj444");
    struct route {
        std::string path;
        unsigned extra;  // the read that confirms the reference, where the route reads no record anyway
    };
    for (const auto& [path, extra] : {route{"", 0}, route{"/billingContact", 0}, route{"/salesContact", 0},
                                      route{"/autopay", 1}}) {
        reset_stats();
        const auto status = get("/rest/customer/" + id + path).status;
        const auto by_id = gateway_requests();
        reset_stats();
        auto r = get("/rest/customer" + path + "?extCustomerRef=bj444");
        BOOST_TEST(r.status == status, r.body);
        BOOST_TEST(gateway_requests() == by_id + extra, path);
        BOOST_TEST(upstream_requests("GET /v1/customers") == 0u, path);  // never a scan
    }
    // An unknown reference is answered from the directory alone.
    reset_stats();
    BOOST_TEST(get("/rest/customer?extCustomerRef=nobody").status == 404u);
    BOOST_TEST(gateway_requests() == 0u);
}

BOOST_FIXTURE_TEST_CASE(date_filters_alone_and_combined, refreshing_stack) {
    const auto before = compact_minute(-1);
    const auto a = create_customer("bj-a");
    const auto b = create_customer("bj-b");

    // Created: the fixture's customers are from 2016, the new ones from now.
    BOOST_TEST(listed_ids(get("/rest/customers?createStartTime=" + before).body) == sorted({a, b}));
    BOOST_TEST(listed_ids(get("/rest/customers?createEndTime=" + before).body) == fixture_ids);
    BOOST_TEST(listed_ids(get("/rest/customers?createStartTime=201603110000&createEndTime=201603112359").body) ==
               sorted({"300", "302"}));
    BOOST_TEST(listed_ids(get("/rest/customers?createStartTime=" + compact_minute(60)).body).empty());

    // Updated: what the gateway saw change. A customer it has never seen change counts as
    // last updated when it was created.
    BOOST_TEST(listed_ids(get("/rest/customers?updateStartTime=" + before).body) == sorted({a, b}));
    BOOST_TEST_REQUIRE(put("/rest/customer/302", "<customer><name>Brielle Renamed</name></customer>").status == 200u);
    BOOST_TEST(listed_ids(get("/rest/customers?updateStartTime=" + before).body) == sorted({"302", a, b}));
    BOOST_TEST(listed_ids(get("/rest/customers?updateEndTime=" + before).body) ==
               (std::vector<std::string>{"268", "269", "300", "303", "10622"}));

    // Combined with each other, with search, status and paging.
    BOOST_TEST(listed_ids(get("/rest/customers?createStartTime=" + before + "&search=BJ-B").body) ==
               std::vector<std::string>{b});
    BOOST_TEST(listed_ids(get("/rest/customers?updateStartTime=" + before + "&createEndTime=" + before).body) ==
               std::vector<std::string>{"302"});
    BOOST_TEST_REQUIRE(post("/rest/customer/" + a + "?actionName=suspend", "").status == 200u);
    BOOST_TEST(listed_ids(get("/rest/customers?createStartTime=" + before + "&status=Active").body) ==
               std::vector<std::string>{b});
    BOOST_TEST(listed_ids(get("/rest/customers?updateStartTime=" + before + "&offset=1&max=1").body) ==
               std::vector<std::string>{sorted({"302", a, b})[1]});

    // Bad values are refused before anything is looked up.
    reset_stats();
    for (const char* target : {"/rest/customers?createStartTime=2016", "/rest/customers?updateEndTime=201613010000",
                               "/rest/customers?createStartTime=201602010000&createEndTime=201601010000"}) {
        auto r = get(target);
        BOOST_TEST(r.status == 400u, target << ": " << r.body);
    }
    BOOST_TEST(gateway_requests() == 0u);
}

BOOST_FIXTURE_TEST_CASE(changes_made_in_the_sandbox_are_seen_at_the_next_refresh, refreshing_stack) {
    const auto before = compact_minute(-1);
    set_reference_in_sandbox("300", "moved-300");
    auto bulk = control.request(http::verb::post, "/_sandbox/customers/bulk?count=1");
    BOOST_TEST_REQUIRE(bulk.status == 201u, bulk.body);
    const auto added = member_of(bulk.body, "firstCustomerID");
    BOOST_TEST_REQUIRE(upstream.request(http::verb::put, "/v1/customers/10622/archive").status == 204u);
    BOOST_TEST_REQUIRE(upstream.request(http::verb::delete_, "/v1/customers/269").status == 204u);
    await_refresh();

    // Changed, new and archived customers carry the time the refresh saw them change.
    BOOST_TEST(listed_ids(get("/rest/customers?updateStartTime=" + before).body) == sorted({"300", "10622", added}));
    // The moved reference resolves; the new customer is listed; the deleted one is gone.
    BOOST_TEST(id_of(get("/rest/customer?extCustomerRef=moved-300").body, "customer") == "300");
    BOOST_TEST(get("/rest/customer?extCustomerRef=123123111").status == 404u);
    BOOST_TEST(listed_ids(get("/rest/customers").body) ==
               (std::vector<std::string>{"268", "300", "302", "303", "10622", added}));
    BOOST_TEST(get("/rest/customer?extCustomerRef=ASHTONIO-269").status == 404u);
    // The archive shows in the status filter and as a transition.
    BOOST_TEST(listed_ids(get("/rest/customers?status=InActive1").body) == std::vector<std::string>{"10622"});
    auto transitions = get("/rest/customers/transitions");
    BOOST_TEST_REQUIRE(transitions.status == 200u, transitions.body);
    BOOST_TEST(occurrences(transitions.body, "<customerTransition ") == 1u, transitions.body);
    BOOST_TEST(id_of(transitions.body, "customer") == "10622");
    BOOST_TEST(element_text(transitions.body, "previousStatus") == "Active");
    // archived outside the gateway: InActive1 (the gateway did not suspend it)
    BOOST_TEST(element_text(transitions.body, "newStatus") == "InActive1");
}

BOOST_FIXTURE_TEST_CASE(transitions_follow_suspend_and_activate, refreshing_stack) {
    const auto id = create_customer("bj444");
    BOOST_TEST(get("/rest/customers/transitions").body.find("<customerTransition") == std::string::npos);
    BOOST_TEST_REQUIRE(post("/rest/customer?extCustomerRef=bj444&actionName=suspend", "").status == 200u);
    BOOST_TEST_REQUIRE(post("/rest/customer/" + id + "?actionName=activate", "").status == 200u);

    reset_stats();
    auto r = get("/rest/customers/transitions?format=xml");
    BOOST_TEST_REQUIRE(r.status == 200u, r.body);
    BOOST_TEST(gateway_requests() == 2u);  // the customers, by id, in one call; its contacts
    BOOST_TEST(upstream_requests("GET /v1/customers/{id}/contacts") == 1u);
    // The customer in a transition shows what GET by id shows, billing contact included.
    BOOST_TEST(r.body.find("<billingContact id=") != std::string::npos, r.body);
    BOOST_TEST(std::string(r.headers[http::field::content_type]) == "application/xml; charset=utf-8");
    BOOST_TEST(id_of(r.body, "customerTransition") == "1", r.body);
    BOOST_TEST(occurrences(r.body, "<customerTransition ") == 2u, r.body);
    const auto second = r.body.find("<customerTransition id=\"2\">");
    BOOST_TEST_REQUIRE(second != std::string::npos, r.body);
    const auto first_part = r.body.substr(0, second), second_part = r.body.substr(second);
    BOOST_TEST(element_text(first_part, "dateTransitioned") == iso_day(0));
    BOOST_TEST(element_text(first_part, "previousStatus") == "Active");
    BOOST_TEST(element_text(first_part, "newStatus") == "Suspended1");
    BOOST_TEST(element_text(second_part, "previousStatus") == "Suspended1");
    BOOST_TEST(element_text(second_part, "newStatus") == "Active");
    BOOST_TEST(id_of(second_part, "customer") == id);
    BOOST_TEST(element_text(second_part, "extCustomerRef") == "bj444");
    BOOST_TEST(r.body.find("passwd") == std::string::npos);

    // The window: defaults, explicit dates, daysAgo.
    BOOST_TEST(occurrences(get("/rest/customers/transitions?startDate=" + iso_day(0) + "&endDate=" + iso_day(0)).body,
                           "<customerTransition ") == 2u);
    BOOST_TEST(occurrences(get("/rest/customers/transitions?endDate=" + iso_day(-1)).body, "<customerTransition ") == 0u);
    BOOST_TEST(occurrences(get("/rest/customers/transitions?daysAgo=0").body, "<customerTransition ") == 2u);
    BOOST_TEST(occurrences(get("/rest/customers/transitions?startDate=" + iso_day(1)).body, "<customerTransition ") ==
               0u);
    BOOST_TEST(get("/rest/customers/transitions?startDate=26-11-2026").status == 400u);
}

BOOST_FIXTURE_TEST_CASE(a_restart_keeps_the_directory_and_serves_before_any_refresh, refreshing_stack) {
    const auto id = create_customer("bj444");
    BOOST_TEST_REQUIRE(post("/rest/customer/" + id + "?actionName=suspend", "").status == 200u);

    // Billagain's customer list stalls for the restarted gateway's first pass: it must be
    // ready from its database alone, and still know the reference and the transition.
    add_fault(R"({"kind":"latency","latency_ms":3000,"path_prefix":"/v1/customers","method":"GET","count":4})");
    restart_gateway();
    BOOST_TEST(client.get("/readyz").status == 200u);
    BOOST_TEST(passes() == 0u);
    clear_faults();
    BOOST_TEST(listed_ids(get("/rest/customers?search=bj444").body) == std::vector<std::string>{id});
    auto transitions = get("/rest/customers/transitions");
    BOOST_TEST(occurrences(transitions.body, "<customerTransition ") == 1u, transitions.body);
}
