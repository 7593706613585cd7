#define BOOST_TEST_MODULE sandbox subscriptions over HTTP
// All 13 subscription endpoints, driven with the seed's requests verbatim (the fixture has
// customer 303, whom they name).
#include "sandbox_http_support.hpp"

using namespace sandbox_test;

BOOST_AUTO_TEST_CASE(lists_and_get_have_the_seed_shape) {
    running_sandbox sb;
    auto r = sb.get("/v1/subscriptions");
    BOOST_TEST(r.status == 200u);
    check_seed_shape("subscriptions_list_response", r.body);
    auto list = parse(r.body);
    BOOST_TEST(list.items().size() == 5u);
    BOOST_TEST(list.items()[0].find("subscriptionID")->text() == "10207");  // fixture order
    BOOST_TEST(list.items()[0].find("CustomerName")->text() == "Rudi ");
    BOOST_TEST(list.items()[0].find("PackageName")->text() == "AGENT-BASIC");

    r = sb.get("/v1/customers/269/subscriptions");
    BOOST_TEST(r.status == 200u);
    check_seed_shape("customer_subscriptions_response", r.body);
    BOOST_TEST(parse(r.body).items().size() == 4u);
    BOOST_TEST(parse(sb.get("/v1/customers/269/subscriptions?page=2&page_size=3").body).items().size() == 1u);

    r = sb.get("/v1/subscriptions/10186");
    BOOST_TEST(r.status == 200u);
    check_seed_shape("subscription_get_response", r.body);
    BOOST_TEST(r.body.find("\"LastModified\":\"2016-01-16T13:12:51.7837721+00:00\"") != std::string::npos);

    r = sb.get("/v1/subscriptions/1");
    BOOST_TEST(r.status == 410u);
    BOOST_TEST(error_message(r.body) == "Cannot find Subscription for this Account");
    BOOST_TEST(sb.get("/v1/customers/4242/subscriptions").status == 410u);
    BOOST_TEST(sb.get("/v1/subscriptions?page_size=500").status == 400u);
}

BOOST_AUTO_TEST_CASE(seed_requests_in_sequence) {
    running_sandbox sb;
    auto r = sb.post("/v1/subscriptions", seed("subscription_create_request"));
    BOOST_TEST_REQUIRE(r.status == 201u);
    check_seed_shape("subscription_create_response", r.body);
    const auto id = id_member(r.body, "subscriptionID");
    const auto base = "/v1/subscriptions/" + std::to_string(id);
    auto get = [&] { return parse(sb.get(base).body); };
    BOOST_TEST(get().find("StartDate")->text() == "2016-01-04T00:00:00+00:00");  // "04/jan/2016"

    BOOST_TEST(sb.put(base + "/changePackage", seed("subscription_change_package_request")).status == 204u);
    BOOST_TEST(get().find("packageID")->text() == "291");  // ChangeDate 12/may/2016 is past: at once
    BOOST_TEST(!get().find("isFutureChange")->as_bool());

    BOOST_TEST(sb.put(base + "/changeterm", seed("subscription_change_term_request")).status == 204u);
    BOOST_TEST(get().find("Term")->text() == "12");
    BOOST_TEST(get().find("componentUsage")->items()[0].find("NumUnits")->text() == "3");

    BOOST_TEST(sb.put(base + "/changestartdate", seed("subscription_change_start_date_request")).status == 204u);
    BOOST_TEST(get().find("StartDate")->text() == "2016-06-04T00:00:00+00:00");
    BOOST_TEST(get().find("firstProrataSyncDate")->text() == "2016-07-04T00:00:00+00:00");

    BOOST_TEST(sb.put(base + "/components/modify", seed("subscription_components_modify_request")).status == 204u);
    BOOST_TEST(get().find("componentUsage")->items()[0].find("NumUnits")->text() == "5");
    BOOST_TEST(sb.put(base + "/components/recordusage", seed("subscription_record_usage_request")).status == 204u);
    BOOST_TEST(get().find("componentUsage")->items()[0].find("NumUnits")->text() == "105");

    BOOST_TEST(sb.put(base + "/cancel", seed("subscription_cancel_request")).status == 204u);
    BOOST_TEST(get().find("isCancelled")->as_bool());
    BOOST_TEST(get().find("comp_Status")->text() == "Active");  // "renewal": runs to the period end

    BOOST_TEST(sb.put(base + "/changeenddate", seed("subscription_change_end_date_request")).status == 204u);
    BOOST_TEST(get().find("EndDate")->text() == "2018-06-03T00:00:00+00:00");  // "3/june/2018"
    BOOST_TEST(get().find("comp_Status")->text() == "Cancelled");

    BOOST_TEST(sb.put(base + "/reactivate", seed("subscription_reactivate_request")).status == 204u);
    BOOST_TEST(get().find("comp_Status")->text() == "Active");
    BOOST_TEST(!get().find("isCancelled")->as_bool());

    BOOST_TEST(sb.put(base + "/changePackage",
                      R"({"customerID":303,"packageID":287,"ChangeDate":"01/jan/2100","isProRata":false})")
                   .status == 204u);
    BOOST_TEST(get().find("isFutureChange")->as_bool());
    BOOST_TEST(sb.del(base + "/futurechanges").status == 204u);
    BOOST_TEST(!get().find("isFutureChange")->as_bool());

    // Every one of them answers 410 for an unknown subscription.
    const std::string gone = "/v1/subscriptions/1";
    BOOST_TEST(sb.put(gone + "/cancel", seed("subscription_cancel_request")).status == 410u);
    BOOST_TEST(sb.put(gone + "/changePackage", seed("subscription_change_package_request")).status == 410u);
    BOOST_TEST(sb.put(gone + "/changeterm", seed("subscription_change_term_request")).status == 410u);
    BOOST_TEST(sb.put(gone + "/changestartdate", seed("subscription_change_start_date_request")).status == 410u);
    BOOST_TEST(sb.put(gone + "/changeenddate", seed("subscription_change_end_date_request")).status == 410u);
    BOOST_TEST(sb.put(gone + "/reactivate", seed("subscription_reactivate_request")).status == 410u);
    BOOST_TEST(sb.del(gone + "/futurechanges").status == 410u);
    BOOST_TEST(sb.put(gone + "/components/modify", seed("subscription_components_modify_request")).status == 410u);
    BOOST_TEST(sb.put(gone + "/components/recordusage", seed("subscription_record_usage_request")).status == 410u);
}

BOOST_AUTO_TEST_CASE(bad_subscription_input) {
    running_sandbox sb;
    auto doc = seed("subscription_create_request");
    auto swap = [&](const std::string& from, const std::string& to) {
        auto d = doc;
        d.replace(d.find(from), from.size(), to);
        return d;
    };
    auto r = sb.post("/v1/subscriptions", swap("\"04/jan/2016\"", "\"the fourth\""));
    BOOST_TEST(r.status == 400u);
    BOOST_TEST(error_message(r.body) == "The value 'the fourth' is not valid for StartDate.");
    r = sb.post("/v1/subscriptions", swap("\"TermType\":\"months\"", "\"TermType\":\"weeks\""));
    BOOST_TEST(r.status == 400u);
    r = sb.post("/v1/subscriptions", swap("\"packageID\":290,", ""));
    BOOST_TEST(error_message(r.body) == "The packageID field is required.");
    r = sb.post("/v1/subscriptions", swap("\"customerID\":303", "\"customerID\":4242"));
    BOOST_TEST(r.status == 410u);
    r = sb.put("/v1/subscriptions/10186/changeenddate", R"({"EndDate":"31/feb/2018"})");
    BOOST_TEST(r.status == 400u);
    BOOST_TEST(error_message(r.body).find("EndDate") != std::string::npos);
    r = sb.put("/v1/subscriptions/10186/cancel", R"({"CancelType":"later","CreditType":"nocredit","InvoiceType":"i","Reason":"r"})");
    BOOST_TEST(error_message(r.body).find("CancelType") != std::string::npos);
    r = sb.put("/v1/subscriptions/10186/components/recordusage", seed("subscription_record_usage_request"));
    BOOST_TEST(r.status == 400u);  // the seed names customer 303; 10186 belongs to 269
    BOOST_TEST(parse(sb.get("/v1/subscriptions").body).items().size() == 5u);
}
