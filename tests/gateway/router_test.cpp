#define BOOST_TEST_MODULE gateway_router
#include <boost/test/unit_test.hpp>

#include "router.hpp"

namespace gw = blubridge::gateway;
namespace http = boost::beast::http;
using gw::operation_kind;

namespace {

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
    BOOST_TEST(fails(http::verb::get, "/rest/customers?max=201").status == http::status::bad_request);
    BOOST_TEST(fails(http::verb::get, "/rest/customers?offset=-1").status == http::status::bad_request);
}

BOOST_AUTO_TEST_CASE(routes_without_billagain_counterpart_are_not_supported) {
    for (auto [verb, target] : std::initializer_list<std::pair<http::verb, std::string_view>>{
             {http::verb::get, "/rest/customers/transitions?format=xml&daysAgo=30"},
             {http::verb::post, "/rest/customers/paymentPlan?format=xml&id=5"},
             {http::verb::get, "/rest/customers/5/paymentPlan?format=xml"},
             {http::verb::put, "/rest/customers/paymentPlan?format=xml&extCustomerRef=x"},
             {http::verb::delete_, "/rest/customers/paymentPlan?format=xml&id=5"},
             {http::verb::post, "/rest/customers/notification"},
             {http::verb::get, "/rest/customers?createStartTime=201601010000"}}) {
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
