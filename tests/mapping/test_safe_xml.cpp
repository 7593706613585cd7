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

BOOST_AUTO_TEST_CASE(doctype_anywhere_is_refused_before_parsing)
{
    conversion_report r;
    // After the root element pugixml would accept it; inside a comment it is only text, but
    // no BluBilling document mentions one, so the plain search is kept.
    BOOST_TEST(parse("<customer/><!DOCTYPE customer>", r) == error::doctype_forbidden);
    BOOST_TEST(parse("<customer><!-- <!DOCTYPE x> --></customer>", r) == error::doctype_forbidden);
    BOOST_TEST(r.message.find("at byte 15") != std::string::npos, r.message);
    // pugixml knows only the upper-case keyword; anything else is not well-formed.
    BOOST_TEST(parse("<!doctype customer><customer/>", r) == error::malformed_xml);
}

BOOST_AUTO_TEST_CASE(depth_limit_is_32)
{
    conversion_report r;
    BOOST_TEST(!parse(nested(32), r));
    BOOST_TEST(parse(nested(33), r) == error::too_deep);
    BOOST_TEST(r.message.find("32") != std::string::npos);
    // Deep, but within the element limit: the DOM walk refuses it, without recursion.
    BOOST_TEST(parse(nested(9000), r) == error::too_deep);
    xml_limits deep;
    deep.max_depth = 9000;
    BOOST_TEST(!parse(nested(9000), r, deep));
}

BOOST_AUTO_TEST_CASE(element_limit_is_10000)
{
    conversion_report r;
    // 1 + 40 + 40 * 249 = 10,001 elements, no element with more than 249 children.
    auto tree = [](int leaves_in_last) {
        std::string s = "<r>";
        for (int i = 0; i < 40; ++i) {
            s += "<b>";
            for (int j = 0; j < (i == 39 ? leaves_in_last : 249); ++j) s += "<a/>";
            s += "</b>";
        }
        return s + "</r>";
    };
    BOOST_TEST(!parse(tree(248), r), r.message);
    BOOST_TEST(parse(tree(249), r) == error::too_many_elements);
    BOOST_TEST(r.message == "more than 10000 elements", r.message);
}

BOOST_AUTO_TEST_CASE(too_many_tags_are_refused_before_parsing)
{
    conversion_report r;
    xml_limits limits;
    limits.max_elements = 2;
    // Three `<` per allowed element: six pass the text check, seven do not.
    BOOST_TEST(!parse("<r><!--1--><!--2--><a></a></r>", r, limits), r.message);
    BOOST_TEST(parse("<r><!--1--><!--2--><!--3--><a></a></r>", r, limits) == error::too_many_elements);
    BOOST_TEST(r.message == "more than 2 elements (7 tags)", r.message);
}

BOOST_AUTO_TEST_CASE(children_limit_is_256)
{
    conversion_report r;
    auto children = [](int n) {
        std::string s = "<customer><billingContact>";
        for (int i = 0; i < n; ++i) s += "<phone/>";
        return s + "</billingContact></customer>";
    };
    BOOST_TEST(!parse(children(256), r));
    BOOST_TEST(parse(children(257), r) == error::too_many_children);
    BOOST_TEST(r.path == "customer/billingContact");
    BOOST_TEST(r.message == "more than 256 child elements", r.message);
    // Text and comments between the children do not count.
    BOOST_TEST(!parse("<r>" + std::string(300, 'x') + "<!----><a/></r>", r));
}

BOOST_AUTO_TEST_CASE(attribute_limit_is_32_and_names_are_unique)
{
    conversion_report r;
    auto attributes = [](int n) {
        std::string s = "<customer><currency";
        for (int i = 0; i < n; ++i) s += " a" + std::to_string(i) + "=\"1\"";
        return s + "/></customer>";
    };
    BOOST_TEST(!parse(attributes(32), r));
    BOOST_TEST(parse(attributes(33), r) == error::too_many_attributes);
    BOOST_TEST(r.path == "customer/currency");
    BOOST_TEST(r.message == "more than 32 attributes", r.message);

    BOOST_TEST(parse(R"(<customer><currency id="USD" sym="$" id="EUR"/></customer>)", r) == error::malformed_xml);
    BOOST_TEST(r.path == "customer/currency");
    BOOST_TEST(r.message == "attribute 'id' appears twice", r.message);
    // Names are compared exactly: XML names are case-sensitive, prefixes are part of them.
    BOOST_TEST(!parse(R"(<c id="1" ID="2" x:id="3" xmlns:x="urn:x"/>)", r), r.message);
}

BOOST_AUTO_TEST_CASE(value_and_name_lengths_are_limited)
{
    conversion_report r;
    const std::string max(64 * 1024, 'x');
    BOOST_TEST(!parse("<customer><name>" + max + "</name></customer>", r));
    BOOST_TEST(parse("<customer><name>" + max + "y</name></customer>", r) == error::too_long);
    BOOST_TEST(r.path == "customer/name");
    BOOST_TEST(r.message == "text longer than 65536 bytes", r.message);
    BOOST_TEST(parse("<customer><name><![CDATA[" + max + "y]]></name></customer>", r) == error::too_long);
    BOOST_TEST(!parse("<customer><currency id=\"" + max + "\"/></customer>", r));
    BOOST_TEST(parse("<customer><currency id=\"" + max + "y\"/></customer>", r) == error::too_long);
    BOOST_TEST(r.path == "customer/currency");
    BOOST_TEST(r.message == "attribute value longer than 65536 bytes", r.message);
    // Measured after references are decoded: 65,537 `&amp;` are 65,537 bytes.
    std::string amps;
    for (int i = 0; i < 64 * 1024 + 1; ++i) amps += "&amp;";
    BOOST_TEST(parse("<customer><name>" + amps + "</name></customer>", r) == error::too_long);

    const std::string name(128, 'n');
    BOOST_TEST(!parse("<" + name + " " + name + "=\"1\"/>", r));
    BOOST_TEST(parse("<" + name + "n/>", r) == error::too_long);
    BOOST_TEST(parse("<c " + name + "n=\"1\"/>", r) == error::too_long);
    BOOST_TEST(r.message.find("a name longer than 128 bytes") == 0u, r.message);
    BOOST_TEST(r.message.size() < 128u, r.message);  // the long name is shortened, not repeated
}

BOOST_AUTO_TEST_CASE(one_root_element_only)
{
    conversion_report r;
    BOOST_TEST(parse("<customer/><customer/>", r) == error::malformed_xml);
    BOOST_TEST(r.message == "more than one root element");
    BOOST_TEST(parse(R"(<?xml version="1.0"?>)", r) == error::malformed_xml);
    BOOST_TEST(r.message.find("No document element") == 0u, r.message);
}

BOOST_AUTO_TEST_CASE(utf8_is_validated)
{
    conversion_report r;
    auto in_name = [](const std::string& bytes) { return "<customer><name>" + bytes + "</name></customer>"; };
    // Two-, three- and four-byte sequences, the highest code point, a BOM.
    BOOST_TEST(!parse(in_name("\xC3\xA9 \xE2\x82\xAC \xF0\x9D\x84\x9E \xF4\x8F\xBF\xBF \xEF\xBF\xBD"), r), r.message);
    BOOST_TEST(!parse("\xEF\xBB\xBF<customer/>", r), r.message);
    for (const std::string& bad : {
             std::string("\xFF"),              // never in UTF-8
             std::string("\x80"),              // a continuation byte alone
             std::string("\xC3"),              // truncated before a tag
             std::string("\xC0\xAF"),          // overlong '/'
             std::string("\xE0\x80\xAF"),      // overlong, three bytes
             std::string("\xF0\x80\x80\xAF"),  // overlong, four bytes
             std::string("\xED\xA0\x80"),      // a surrogate (U+D800)
             std::string("\xF4\x90\x80\x80"),  // above U+10FFFF
             std::string("\xF5\x80\x80\x80"),  // lead byte past the range
             std::string("\xE2\x82"),          // truncated three-byte sequence
             std::string("\xE9t\xE9"),         // Latin-1 passed off as UTF-8
         }) {
        BOOST_TEST(parse(in_name(bad), r) == error::unsupported_encoding, r.message);
        BOOST_TEST(r.message == "invalid UTF-8 at byte 16", r.message);
    }
    // Truncated at the very end of the input.
    BOOST_TEST(parse("<customer/>\xE2\x82", r) == error::unsupported_encoding);
    BOOST_TEST(r.message == "invalid UTF-8 at byte 11", r.message);
}

BOOST_AUTO_TEST_CASE(characters_xml_forbids_are_refused)
{
    conversion_report r;
    // pugixml would end the document at the NUL and accept what came before it.
    BOOST_TEST(parse(std::string("<customer/>\0<junk", 17), r) == error::malformed_xml);
    BOOST_TEST(r.message == "character U+0000 at byte 11 is not allowed in XML", r.message);
    BOOST_TEST(parse("<customer><name>a\x01</name></customer>", r) == error::malformed_xml);
    BOOST_TEST(r.message == "character U+0001 at byte 17 is not allowed in XML", r.message);
    BOOST_TEST(parse("<customer><name>\xEF\xBF\xBF</name></customer>", r) == error::malformed_xml);
    BOOST_TEST(r.message.find("U+FFFF") != std::string::npos, r.message);
    // The same through a character reference, which only pugixml decodes.
    BOOST_TEST(parse("<customer><name>a&#x1f;</name></customer>", r) == error::malformed_xml);
    BOOST_TEST(r.path == "customer/name");
    BOOST_TEST(r.message == "text has character U+001F, which XML does not allow", r.message);
    BOOST_TEST(parse("<customer><currency id=\"&#7;\"/></customer>", r) == error::malformed_xml);
    BOOST_TEST(r.path == "customer/currency");
    // Tab, LF and CR are allowed, raw and as references.
    BOOST_TEST(!parse("<customer>\t\r\n<name>a&#9;&#10;&#13;</name></customer>", r), r.message);
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
