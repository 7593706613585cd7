#define BOOST_TEST_MODULE mapping_safe_xml
#include <boost/test/unit_test.hpp>

#include "print_error.hpp"

#include <blubridge/mapping/error.hpp>
#include <blubridge/mapping/safe_xml.hpp>

using namespace blubridge::mapping;

namespace {

boost::system::error_code parse(const std::string& xml, conversion_report& report, xml_limits limits = {})
{
    pugi::xml_document doc;
    return parse_xml(xml, doc, report, limits);
}

std::string nested(int depth)
{
    std::string s;
    for (int i = 0; i < depth; ++i) s += "<a>";
    for (int i = 0; i < depth; ++i) s += "</a>";
    return s;
}

} // namespace

BOOST_AUTO_TEST_CASE(accepts_plain_document)
{
    conversion_report r;
    BOOST_TEST(!parse(R"(<?xml version="1.0" encoding="UTF-8"?><customer><name>A</name></customer>)", r));
    BOOST_TEST(!parse(R"(<?xml version="1.0" encoding="utf-8"?><customer/>)", r));
}

BOOST_AUTO_TEST_CASE(rejects_doctype_and_entities)
{
    conversion_report r;
    BOOST_TEST(parse("<!DOCTYPE customer><customer/>", r) == error::doctype_forbidden);
    BOOST_TEST(parse(R"(<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;">]><lolz>&lol2;</lolz>)", r) ==
               error::doctype_forbidden);
    BOOST_TEST(parse(R"(<!DOCTYPE c [<!ENTITY x SYSTEM "file:///etc/passwd">]><c>&x;</c>)", r) == error::doctype_forbidden);
    BOOST_TEST(is_client_error(error::doctype_forbidden));
}

BOOST_AUTO_TEST_CASE(depth_limit_is_32)
{
    conversion_report r;
    BOOST_TEST(!parse(nested(32), r));
    BOOST_TEST(parse(nested(33), r) == error::too_deep);
    BOOST_TEST(r.message.find("32") != std::string::npos);
    // Far deeper than any stack would like: still refused cleanly.
    BOOST_TEST(parse(nested(100000), r) == error::too_deep);
}

BOOST_AUTO_TEST_CASE(element_limit_is_10000)
{
    conversion_report r;
    std::string ok = "<r>";
    for (int i = 0; i < 9999; ++i) ok += "<a/>";
    BOOST_TEST(!parse(ok + "</r>", r));
    BOOST_TEST(parse(ok + "<a/></r>", r) == error::too_many_elements);
}

BOOST_AUTO_TEST_CASE(rejects_malformed_and_other_encodings)
{
    conversion_report r;
    BOOST_TEST(parse("<a><b></a>", r) == error::malformed_xml);
    BOOST_TEST(!r.message.empty());
    BOOST_TEST(parse("", r) == error::malformed_xml);
    BOOST_TEST(parse("just text", r) == error::malformed_xml);
    BOOST_TEST(parse(R"(<?xml version="1.0" encoding="ISO-8859-1"?><a/>)", r) == error::unsupported_encoding);
}

BOOST_AUTO_TEST_CASE(writes_declaration_first_and_escapes)
{
    pugi::xml_document doc;
    pugi::xml_node root = doc.append_child("r");
    root.append_attribute("a").set_value("x\"<&>");
    root.append_child("t").append_child(pugi::node_pcdata).set_value("1 < 2 & \"ü\"");
    std::string out;
    write_xml(doc, out);
    BOOST_TEST(out == R"(<?xml version="1.0" encoding="UTF-8"?><r a="x&quot;&lt;&amp;>"><t>1 &lt; 2 &amp; "ü"</t></r>)");
}
