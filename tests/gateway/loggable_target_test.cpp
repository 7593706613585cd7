// Request targets in log lines: values of secret-named parameters and long digit runs masked.
#define BOOST_TEST_MODULE gateway_loggable_target
#include <boost/test/unit_test.hpp>

#include "loggable_target.hpp"

namespace gw = blubridge::gateway;

namespace {

const auto& mappings() {
    static const auto set = blubridge::mapping::load_mappings(BLUBRIDGE_MAPPINGS_DIR);
    return *set;
}

}  // namespace

BOOST_AUTO_TEST_CASE(secret_named_parameters_are_masked_in_any_case) {
    BOOST_TEST(gw::loggable_target("/rest/customer/302?passwd=hunter2&format=xml", mappings()) ==
               "/rest/customer/302?passwd=***&format=xml");
    BOOST_TEST(gw::loggable_target("/rest/customer/302?CVV=123&CardNumber=4&accountNumber=x", mappings()) ==
               "/rest/customer/302?CVV=***&CardNumber=***&accountNumber=***");
}

BOOST_AUTO_TEST_CASE(long_digit_runs_are_masked_under_any_name) {
    BOOST_TEST(gw::loggable_target("/rest/customers?search=4000056655665556", mappings()) ==
               "/rest/customers?search=***");
    BOOST_TEST(gw::loggable_target("/rest/customer/302?extCustomerRef=bj444", mappings()) ==
               "/rest/customer/302?extCustomerRef=bj444");  // nothing secret: unchanged
}

BOOST_AUTO_TEST_CASE(an_unparseable_target_is_still_masked) {
    BOOST_TEST(gw::loggable_target("not a target 4000056655665556", mappings()) == "not a target ***");
}
