// mappings/transitions.yaml: the 4.1.9 <list> of customerTransition from the array the
// gateway builds, each customer written as GET /rest/customer/[id] writes it.

#define BOOST_TEST_MODULE mapping_transitions
#include <boost/test/unit_test.hpp>

#include "test_support.hpp"

#include <pugixml.hpp>
#include <rapidjson/document.h>

#include <sstream>
#include <string>

using namespace blubridge::mapping;
using blubridge::mapping::test::data;
using blubridge::mapping::test::mapping;

namespace {

std::string to_xml(std::string_view name, const std::string& json)
{
    std::string xml;
    conversion_report report;
    const auto ec = mapping(name).to_xml(json, xml, report);
    BOOST_TEST_REQUIRE(!ec, ec.message() << ": " << report.path << " " << report.message);
    return xml;
}

std::string raw(const pugi::xml_node& node)
{
    std::ostringstream out;
    node.print(out, "", pugi::format_raw);
    return out.str();
}

// Billagain record `index` of the test data alone, as GET /rest/customer/[id] writes it.
std::string customer_alone(std::size_t index)
{
    rapidjson::Document d;
    d.Parse<rapidjson::kParseNumbersAsStringsFlag>(data("customer_transitions.json").c_str());
    BOOST_TEST_REQUIRE(!d.HasParseError());
    std::string xml;
    conversion_report report;
    BOOST_TEST_REQUIRE(!mapping("customer").to_xml(d[static_cast<rapidjson::SizeType>(index)]["Customer"], xml, report));
    return xml;
}

} // namespace

BOOST_AUTO_TEST_CASE(roles_name_the_gateway_side_members)
{
    const auto& m = mapping("customer_transition_list");
    BOOST_TEST(m.role("id") == "TransitionID");
    BOOST_TEST(m.role("date") == "DateTransitioned");
    BOOST_TEST(m.role("previous") == "PreviousStatus");
    BOOST_TEST(m.role("next") == "NewStatus");
    BOOST_TEST(m.role("customer") == "Customer");
}

BOOST_AUTO_TEST_CASE(transitions_in_the_seed_form)
{
    const std::string xml = to_xml("customer_transition_list", data("customer_transitions.json"));
    BOOST_TEST(xml.rfind(R"(<?xml version="1.0" encoding="UTF-8"?><list><customerTransition id="1">)"
                         R"(<dateTransitioned>2010-11-01</dateTransitioned>)"
                         R"(<previousStatus>Active</previousStatus><newStatus>InActive1</newStatus>)"
                         R"(<customer id="302"><name>Brielle Barnett</name><status>Active</status>)"
                         R"(<extCustomerRef>12343453454</extCustomerRef>)",
                         0) == 0,
               xml);

    pugi::xml_document doc;
    BOOST_TEST_REQUIRE(doc.load_string(xml.c_str()));
    const auto list = doc.child("list");
    const std::pair<const char*, const char*> expected[] = {{"1", "302"}, {"2", "300"}};
    std::size_t n = 0;
    for (const auto& t : list.children()) {
        BOOST_TEST_REQUIRE(n < 2u);
        BOOST_TEST(std::string(t.name()) == "customerTransition");
        BOOST_TEST(std::string(t.attribute("id").value()) == expected[n].first);
        std::string order;
        for (const auto& child : t.children()) order += std::string(child.name()) + " ";
        BOOST_TEST(order == "dateTransitioned previousStatus newStatus customer ");
        BOOST_TEST(std::string(t.child("customer").attribute("id").value()) == expected[n].second);
        // The customer is exactly what GET /rest/customer/[id] answers for the record.
        pugi::xml_document alone;
        BOOST_TEST_REQUIRE(alone.load_string(customer_alone(n).c_str()));
        BOOST_TEST(raw(t.child("customer")) == raw(alone.child("customer")));
        ++n;
    }
    BOOST_TEST(n == 2u);
    const auto second = list.last_child();
    BOOST_TEST(std::string(second.child_value("dateTransitioned")) == "2010-11-02");  // its 23:59:59 stays that day
    BOOST_TEST(std::string(second.child_value("previousStatus")) == "InActive1");
    BOOST_TEST(std::string(second.child_value("newStatus")) == "Active");
    BOOST_TEST(std::string(second.child("customer").child_value("extCustomerRef")) == "123123111");
    // Never payment data: the record's token and payment method id stay behind.
    BOOST_TEST(xml.find("f8f3b996") == std::string::npos);
    BOOST_TEST(xml.find("20406") == std::string::npos);
}

BOOST_AUTO_TEST_CASE(no_transitions_is_an_empty_list)
{
    BOOST_TEST(to_xml("customer_transition_list", "[]") == R"(<?xml version="1.0" encoding="UTF-8"?><list/>)");
}

BOOST_AUTO_TEST_CASE(a_date_that_is_not_billagain_text_is_refused)
{
    std::string xml;
    conversion_report report;
    const auto ec = mapping("customer_transition_list")
                        .to_xml(R"([{"TransitionID":1,"DateTransitioned":"2010-11-01","PreviousStatus":"Active",)"
                                R"("NewStatus":"InActive1","Customer":{"customerID":302}}])",
                                xml, report);
    BOOST_TEST(!!ec);
    BOOST_TEST(report.path == "[0].DateTransitioned");
}
