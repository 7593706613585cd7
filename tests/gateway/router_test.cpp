#define BOOST_TEST_MODULE gateway_router
#include <boost/test/unit_test.hpp>

#include "router.hpp"

namespace gw = blubridge::gateway;
namespace http = boost::beast::http;
using gw::operation_kind;

namespace {

// 2010-12-31T00:00:00Z, and lengths in seconds.
constexpr gw::unix_time dec31_2010 = 1293753600;
constexpr gw::unix_time minute = 60, hour = 60 * minute, day = 24 * hour;

gw::route ok(http::verb v, std::string_view target) {
    auto r = gw::route_request(v, target);
    BOOST_TEST_REQUIRE(r.has_value(), std::string(target) + ": " + (r ? "" : r.error().message));
    return *r;
}

gw::failure fails(http::verb v, std::string_view target) {
    auto r = gw::route_request(v, target);
    BOOST_TEST_REQUIRE(r.has_error(), std::string(target));
    return r.error();
}

}  // namespace

BOOST_AUTO_TEST_CASE(customer_by_id_and_by_reference) {
    auto r = ok(http::verb::get, "/rest/customer/366?format=xml");
    BOOST_TEST((r.op == operation_kind::get_customer));
    BOOST_TEST(r.customer.id.value_or(0) == 366u);
    BOOST_TEST(r.customer.ext_ref.empty());

    r = ok(http::verb::get, "/rest/customer?format=xml&extCustomerRef=bj444");
    BOOST_TEST((r.op == operation_kind::get_customer));
    BOOST_TEST(!r.customer.id.has_value());
    BOOST_TEST(r.customer.ext_ref == "bj444");

    r = ok(http::verb::get, "/rest/customer?extCustomerRef=a%20b%26c");  // percent-decoded
    BOOST_TEST(r.customer.ext_ref == "a b&c");

    BOOST_TEST((ok(http::verb::put, "/rest/customer/5").op == operation_kind::update_customer));
    BOOST_TEST((ok(http::verb::put, "/rest/customer?extCustomerRef=x").op == operation_kind::update_customer));
    BOOST_TEST((ok(http::verb::delete_, "/rest/customer/5").op == operation_kind::delete_customer));
    BOOST_TEST((ok(http::verb::delete_, "/rest/customer?extCustomerRef=x").op == operation_kind::delete_customer));
    BOOST_TEST((ok(http::verb::get, "/rest/customer/5/").op == operation_kind::get_customer));
}

BOOST_AUTO_TEST_CASE(contacts_in_both_forms) {
    auto r = ok(http::verb::get, "/rest/customer/7/salesContact?format=xml");
    BOOST_TEST((r.op == operation_kind::get_contact));
    BOOST_TEST((r.contact == gw::contact_kind::sales));
    BOOST_TEST(r.customer.id.value_or(0) == 7u);

    r = ok(http::verb::put, "/rest/customer/billingContact?format=xml&extCustomerRef=bj444");
    BOOST_TEST((r.op == operation_kind::update_contact));
    BOOST_TEST((r.contact == gw::contact_kind::billing));
    BOOST_TEST(r.customer.ext_ref == "bj444");

    BOOST_TEST(fails(http::verb::delete_, "/rest/customer/7/salesContact").status == http::status::method_not_allowed);
}

BOOST_AUTO_TEST_CASE(autopay_accepts_put_post_get_and_validate) {
    auto r = ok(http::verb::put, "/rest/customer/9/autopay?format=xml&validate=true");
    BOOST_TEST((r.op == operation_kind::save_autopay));
    BOOST_TEST(r.validate);
    r = ok(http::verb::post, "/rest/customer/autopay?format=xml&extCustomerRef=x&validate=true");
    BOOST_TEST((r.op == operation_kind::save_autopay));
    BOOST_TEST(r.customer.ext_ref == "x");
    r = ok(http::verb::get, "/rest/customer/9/autopay");
    BOOST_TEST((r.op == operation_kind::list_autopay));
    BOOST_TEST(!r.validate);
    BOOST_TEST(fails(http::verb::put, "/rest/customer/9/autopay?validate=maybe").status == http::status::bad_request);
}

BOOST_AUTO_TEST_CASE(actions) {
    auto r = ok(http::verb::post, "/rest/customer/3?format=xml&actionName=suspend");
    BOOST_TEST((r.op == operation_kind::customer_action));
    BOOST_TEST(r.action == "suspend");
    r = ok(http::verb::post, "/rest/customer?format=xml&extCustomerRef=z&actionName=activate");
    BOOST_TEST(r.action == "activate");
    BOOST_TEST(fails(http::verb::post, "/rest/customer/3?actionName=explode").message.find("explode") != std::string::npos);
    BOOST_TEST(fails(http::verb::post, "/rest/customer/3").message.find("actionName is required") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(collection_routes) {
    auto r = ok(http::verb::post, "/rest/customers?format=xml");
    BOOST_TEST((r.op == operation_kind::create_customer));
    r = ok(http::verb::post, "/rest/customers?format=xml&actionName=addCustomerAndOrder");
    BOOST_TEST((r.op == operation_kind::add_customer_and_order));

    r = ok(http::verb::get, "/rest/customers?format=xml&search=Bill&offset=10&max=20&status=Active");
    BOOST_TEST((r.op == operation_kind::list_customers));
    BOOST_TEST(r.list.search == "Bill");
    BOOST_TEST(r.list.offset == 10u);
    BOOST_TEST(r.list.max == 20u);
    BOOST_TEST(r.list.status == "Active");

    r = ok(http::verb::get, "/rest/customers");
    BOOST_TEST(r.list.offset == 0u);
    BOOST_TEST(r.list.max == 50u);
    BOOST_TEST(ok(http::verb::get, "/rest/customers?max=0").list.max == 0u);
    // Its upper bound is the configuration's (responses.max_list_page), checked by the operation.
    BOOST_TEST(ok(http::verb::get, "/rest/customers?max=201").list.max == 201u);
    BOOST_TEST(fails(http::verb::get, "/rest/customers?max=many").status == http::status::bad_request);
    BOOST_TEST(fails(http::verb::get, "/rest/customers?offset=-1").status == http::status::bad_request);
}

BOOST_AUTO_TEST_CASE(routes_without_billagain_counterpart_are_not_supported) {
    for (auto [verb, target] : std::initializer_list<std::pair<http::verb, std::string_view>>{
             {http::verb::post, "/rest/customers/paymentPlan?format=xml&id=5"},
             {http::verb::get, "/rest/customers/5/paymentPlan?format=xml"},
             {http::verb::put, "/rest/customers/paymentPlan?format=xml&extCustomerRef=x"},
             {http::verb::delete_, "/rest/customers/paymentPlan?format=xml&id=5"},
             {http::verb::post, "/rest/customers/notification"}}) {
        auto r = ok(verb, target);
        BOOST_TEST((r.op == operation_kind::not_supported), target);
        BOOST_TEST(!r.missing.empty());
    }
}

BOOST_AUTO_TEST_CASE(bad_requests_are_explained) {
    BOOST_TEST(fails(http::verb::get, "/rest/customer/abc").message.find("'abc' is not a positive number") != std::string::npos);
    BOOST_TEST(fails(http::verb::get, "/rest/customer/0").status == http::status::bad_request);
    BOOST_TEST(fails(http::verb::get, "/rest/customer/99999999999999999999999").status == http::status::bad_request);
    BOOST_TEST(fails(http::verb::get, "/rest/customer/5?extCustomerRef=x").message.find("not both") != std::string::npos);
    BOOST_TEST(fails(http::verb::get, "/rest/customer").message == "extCustomerRef is required");
    BOOST_TEST(fails(http::verb::get, "/rest/customer?extCustomerRef=").message == "extCustomerRef is required");
    BOOST_TEST(fails(http::verb::get, "/rest/customer/5?format=json").message.find("format 'json'") != std::string::npos);
    BOOST_TEST(fails(http::verb::get, "/rest/customer?extCustomerRef=a&extCustomerRef=b").message.find("more than once") != std::string::npos);
    BOOST_TEST(fails(http::verb::get, "http://evil/rest/customer/5").status == http::status::bad_request);
}

BOOST_AUTO_TEST_CASE(unknown_paths_and_methods) {
    BOOST_TEST(fails(http::verb::get, "/").status == http::status::not_found);
    BOOST_TEST(fails(http::verb::get, "/rest/invoice/5").status == http::status::not_found);
    BOOST_TEST(fails(http::verb::get, "/rest/customer/5/invoices").status == http::status::not_found);
    BOOST_TEST(fails(http::verb::get, "/v1/customers").status == http::status::not_found);
    auto f = fails(http::verb::patch, "/rest/customer/5");
    BOOST_TEST(f.status == http::status::method_not_allowed);
    BOOST_TEST(f.allow == "GET, PUT, DELETE, POST");
    BOOST_TEST(fails(http::verb::delete_, "/rest/customers").allow == "GET, POST");
}

BOOST_AUTO_TEST_CASE(list_date_filters_are_utc_minutes) {
    auto r = ok(http::verb::get,
                "/rest/customers?format=xml&createStartTime=201012310000&createEndTime=201012312359"
                "&updateStartTime=201012311230&updateEndTime=201012311230");
    BOOST_TEST((r.op == operation_kind::list_customers));
    BOOST_TEST(r.list.create_start.value_or(-1) == dec31_2010);
    BOOST_TEST(r.list.create_end.value_or(-1) == dec31_2010 + day - 1);  // the minute's last second
    BOOST_TEST(r.list.update_start.value_or(-1) == dec31_2010 + 12 * hour + 30 * minute);
    BOOST_TEST(r.list.update_end.value_or(-1) == dec31_2010 + 12 * hour + 31 * minute - 1);

    r = ok(http::verb::get, "/rest/customers?createEndTime=197001010000");  // an end alone
    BOOST_TEST(!r.list.create_start.has_value());
    BOOST_TEST(r.list.create_end.value_or(-1) == 59);
    r = ok(http::verb::get, "/rest/customers?updateStartTime=202402291505");  // a start alone, leap day
    BOOST_TEST(r.list.update_start.value_or(-1) == 1709219100);
    BOOST_TEST(!r.list.update_end.has_value());
    BOOST_TEST(!ok(http::verb::get, "/rest/customers").list.create_start.has_value());
}

BOOST_AUTO_TEST_CASE(bad_list_date_filters_name_the_parameter_and_the_form) {
    for (std::string_view name : {"createStartTime", "createEndTime", "updateStartTime", "updateEndTime"}) {
        for (std::string_view value : {"2010123100", "2010123100000", "20101231000a", "2010-12-31T0", "201002290000",
                                       "201013010000", "201012320000", "201012312400", "201012312360", "+01012310000",
                                       ""}) {
            const auto target = "/rest/customers?" + std::string(name) + "=" + std::string(value);
            const auto f = fails(http::verb::get, target);
            BOOST_TEST(f.status == http::status::bad_request, target);
            BOOST_TEST(f.message == std::string(name) +
                                        " must be a UTC date and time written YYYYMMDDHHmm, e.g. 201012312359",
                       target);
        }
    }
}

BOOST_AUTO_TEST_CASE(a_list_start_after_its_end_is_refused) {
    auto f = fails(http::verb::get, "/rest/customers?createStartTime=201012310001&createEndTime=201012310000");
    BOOST_TEST(f.status == http::status::bad_request);
    BOOST_TEST(f.message == "createStartTime is later than createEndTime");
    f = fails(http::verb::get, "/rest/customers?updateStartTime=201101010000&updateEndTime=201012312359");
    BOOST_TEST(f.message == "updateStartTime is later than updateEndTime");
    // The same minute is a one-minute range; create and update ranges are independent.
    BOOST_TEST(ok(http::verb::get, "/rest/customers?createStartTime=201012310000&createEndTime=201012310000")
                   .list.create_end.value_or(0) == dec31_2010 + 59);
    ok(http::verb::get, "/rest/customers?createStartTime=201101010000&updateEndTime=201012310000");
}

BOOST_AUTO_TEST_CASE(transitions_route_reads_its_window) {
    auto r = ok(http::verb::get, "/rest/customers/transitions?format=xml");
    BOOST_TEST((r.op == operation_kind::list_transitions));
    BOOST_TEST(!r.transitions.start_day.has_value());
    BOOST_TEST(!r.transitions.end_day.has_value());
    BOOST_TEST(!r.transitions.days_ago.has_value());

    r = ok(http::verb::get, "/rest/customers/transitions?format=xml&startDate=2010-12-01&endDate=2010-12-31");
    BOOST_TEST(r.transitions.start_day.value_or(-1) == dec31_2010 - 30 * day);
    BOOST_TEST(r.transitions.end_day.value_or(-1) == dec31_2010);

    r = ok(http::verb::get, "/rest/customers/transitions/?endDate=2010-12-31&daysAgo=7");
    BOOST_TEST(r.transitions.end_day.value_or(-1) == dec31_2010);
    BOOST_TEST(r.transitions.days_ago.value_or(99) == 7u);
    BOOST_TEST(ok(http::verb::get, "/rest/customers/transitions?daysAgo=0").transitions.days_ago.value_or(99) == 0u);
    BOOST_TEST(ok(http::verb::get, "/rest/customers/transitions?daysAgo=36500").transitions.days_ago.value_or(0) ==
               36500u);
    // The same day on both ends is that one day.
    ok(http::verb::get, "/rest/customers/transitions?startDate=2010-12-31&endDate=2010-12-31");
}

BOOST_AUTO_TEST_CASE(bad_transition_parameters_are_refused) {
    for (std::string_view name : {"startDate", "endDate"}) {
        for (std::string_view value : {"20101231", "2010-12-1", "2010/12/31", "2010-02-29", "2010-13-01", "2010-00-10",
                                       "2010-12-32", "2010-12-31T00:00", "-010-12-31", ""}) {
            const auto target = "/rest/customers/transitions?" + std::string(name) + "=" + std::string(value);
            const auto f = fails(http::verb::get, target);
            BOOST_TEST(f.status == http::status::bad_request, target);
            BOOST_TEST(f.message == std::string(name) + " must be a date written YYYY-MM-DD, e.g. 2010-12-31", target);
        }
    }
    for (std::string_view value : {"-1", "36501", "3.5", "thirty", "", "99999999999999999999999"}) {
        const auto target = "/rest/customers/transitions?daysAgo=" + std::string(value);
        BOOST_TEST(fails(http::verb::get, target).message == "daysAgo must be a whole number from 0 to 36500", target);
    }
    auto f = fails(http::verb::get, "/rest/customers/transitions?startDate=2011-01-01&endDate=2010-12-31");
    BOOST_TEST(f.status == http::status::bad_request);
    BOOST_TEST(f.message == "startDate is later than endDate");
    BOOST_TEST(fails(http::verb::get, "/rest/customers/transitions?format=json").status == http::status::bad_request);
    BOOST_TEST(fails(http::verb::get, "/rest/customers/transitions?daysAgo=1&daysAgo=2").message.find("more than once") !=
               std::string::npos);
    for (auto verb : {http::verb::post, http::verb::put, http::verb::delete_}) {
        f = fails(verb, "/rest/customers/transitions");
        BOOST_TEST(f.status == http::status::method_not_allowed);
        BOOST_TEST(f.allow == "GET");
    }
}

BOOST_AUTO_TEST_CASE(transition_window_defaults) {
    const gw::unix_time now = dec31_2010 + 15 * hour + 42;  // 2010-12-31T15:00:42Z
    const gw::unix_time end_of_today = dec31_2010 + day - 1;

    auto w = gw::resolve_window({}, now);  // today and the 30 days before it
    BOOST_TEST(w.to == end_of_today);
    BOOST_TEST(w.from == dec31_2010 - 30 * day);

    gw::transition_query q;
    q.days_ago = 0;  // today only
    w = gw::resolve_window(q, now);
    BOOST_TEST(w.from == dec31_2010);
    BOOST_TEST(w.to == end_of_today);

    q = {};
    q.end_day = dec31_2010 - 365 * day;  // 2009-12-31: its whole day, 30 days back from it
    w = gw::resolve_window(q, now);
    BOOST_TEST(w.to == dec31_2010 - 364 * day - 1);
    BOOST_TEST(w.from == dec31_2010 - 395 * day);

    q.days_ago = 7;
    BOOST_TEST(gw::resolve_window(q, now).from == dec31_2010 - 372 * day);

    q = {};
    q.start_day = dec31_2010 - 3 * day;  // a start alone runs to the end of today
    q.days_ago = 100;                    // and wins over daysAgo
    w = gw::resolve_window(q, now);
    BOOST_TEST(w.from == dec31_2010 - 3 * day);
    BOOST_TEST(w.to == end_of_today);

    q = {};
    q.start_day = dec31_2010 + day;  // tomorrow, with no end: empty, matches nothing
    w = gw::resolve_window(q, now);
    BOOST_TEST(w.from > w.to);

    // Through the router: the parameters and the defaults end to end.
    const auto r = ok(http::verb::get, "/rest/customers/transitions?endDate=2010-12-31&daysAgo=1");
    w = gw::resolve_window(r.transitions, now + 400 * day);
    BOOST_TEST(w.from == dec31_2010 - day);
    BOOST_TEST(w.to == end_of_today);
}
