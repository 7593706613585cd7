#define BOOST_TEST_MODULE mapping_status_document
#include <boost/test/unit_test.hpp>

#include "test_support.hpp"

#include <blubridge/mapping/status_document.hpp>

using namespace blubridge::mapping;
using blubridge::mapping::test::canonical_xml;
using blubridge::mapping::test::data;
using blubridge::mapping::test::mapping;

BOOST_AUTO_TEST_CASE(renders_the_seed_status_document)
{
    status_info info;
    info.success = true;
    info.id = "341";
    info.reference = "cus1001";
    info.messages = {"An exact street name match could not be found and phonetically matching the street name "
                     "resulted in either no matches or matches to more than one street name"};
    std::string xml;
    conversion_report report;
    BOOST_TEST_REQUIRE(!render_status(mapping("status"), info, xml, report), report.message);
    BOOST_TEST(canonical_xml(xml) == canonical_xml(data("status_201.xml")));
}

BOOST_AUTO_TEST_CASE(renders_an_error_with_escaped_message)
{
    status_info info;
    info.messages = {"unknown element: customer/<x>", "second & last"};
    std::string xml;
    conversion_report report;
    BOOST_TEST_REQUIRE(!render_status(mapping("status"), info, xml, report));
    BOOST_TEST(xml == R"(<?xml version="1.0" encoding="UTF-8"?><status><success>False</success><errors>)"
                      R"(<error>unknown element: customer/&lt;x&gt;</error><error>second &amp; last</error></errors></status>)");
}

BOOST_AUTO_TEST_CASE(refuses_a_mapping_without_roles)
{
    std::string xml;
    conversion_report report;
    BOOST_TEST(render_status(mapping("customer"), status_info{}, xml, report).failed());
}
