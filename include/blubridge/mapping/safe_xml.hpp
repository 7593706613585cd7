#ifndef BLUBRIDGE_MAPPING_SAFE_XML_HPP
#define BLUBRIDGE_MAPPING_SAFE_XML_HPP

// Parsing untrusted XML and writing XML responses, with pugixml.

#include <blubridge/mapping/report.hpp>

#include <boost/system/error_code.hpp>
#include <pugixml.hpp>

#include <cstddef>
#include <string>
#include <string_view>

namespace blubridge::mapping {

/// Limits applied to every inbound XML document. The defaults leave a wide margin over the
/// largest BluBilling request: an addCustomerAndOrder with a full customer graph and its five
/// orders has under 200 elements, under 30 children per element, an attribute or two per
/// element and values of a few dozen bytes. The overall size is bounded before any XML is
/// read, by the HTTP server's body_limit (1 MiB by default).
struct xml_limits {
    /// Deepest element nesting accepted; the root element is depth 1. Default 32.
    std::size_t max_depth = 32;
    /// Most elements accepted in one document. Default 10,000. Checked twice: on the raw text
    /// first, where more than three `<` per allowed element (start and end tags, comments,
    /// CDATA) is refused before a DOM is built, and then on the DOM.
    std::size_t max_elements = 10'000;
    /// Most child elements of one element. Default 256.
    std::size_t max_children = 256;
    /// Most attributes on one element. Default 32.
    std::size_t max_attributes = 32;
    /// Longest text node, CDATA section or attribute value, in bytes after references are
    /// decoded. Default 65,536 (64 KiB).
    std::size_t max_value_bytes = 64 * 1024;
    /// Longest element or attribute name, in bytes (prefix included). Default 128.
    std::size_t max_name_bytes = 128;
};

/// Parses `text` into `doc`, refusing what a hostile client could abuse.
///
/// Before pugixml sees the text, and so before a copy of it or any DOM exists, it refuses with the
/// error named in parentheses: any `<!DOCTYPE`, and so any entity declaration, anywhere in the
/// text, even inside a comment or CDATA (doctype_forbidden: no billion laughs, no quadratic
/// blowup, no external entities; pugixml would not expand them anyway); bytes that are not
/// UTF-8 (unsupported_encoding: overlong forms, surrogates, code points above U+10FFFF and
/// truncated sequences included, `report.message` gives the byte offset); characters XML 1.0
/// forbids, such as NUL or other control characters but tab, CR and LF (malformed_xml); more
/// than `3 * limits.max_elements` `<` (too_many_elements).
///
/// Then it parses and refuses: text that is not well-formed XML (malformed_xml, with pugixml's
/// reason and the byte offset); more than one root element or no root element, and an
/// attribute given twice on one element (malformed_xml; pugixml accepts both); an XML
/// declaration naming an encoding other than UTF-8 (unsupported_encoding); nesting deeper than
/// `limits.max_depth` (too_deep); more than `limits.max_elements` elements (too_many_elements);
/// an element with more than `limits.max_children` child elements (too_many_children) or more
/// than `limits.max_attributes` attributes (too_many_attributes); a value longer than
/// `limits.max_value_bytes` or a name longer than `limits.max_name_bytes` (too_long); a
/// character reference to a control character (malformed_xml). Where one element is at fault,
/// `report.path` names it (`customer/currency`).
///
/// Time is linear in the size of `text`. Memory is pugixml's copy of `text` plus the DOM: the
/// `<` count bounds its nodes (64 bytes each, under 4 MiB with the default max_elements), and
/// an attribute (40 bytes) takes at least 5 bytes of text, so a 1 MiB body costs at most
/// about 10 MiB (tests/mapping/test_hostile_xml.cpp measures each hostile case).
/// `doc` is reset first. Never throws except std::bad_alloc.
boost::system::error_code parse_xml(std::string_view text, pugi::xml_document& doc,
                                    conversion_report& report, const xml_limits& limits = {});

/// Why `text` cannot be the content of an XML 1.0 document that `parse_xml` accepts: invalid
/// UTF-8 (a lone surrogate a JSON `\uDC00` escape decodes to, for one) or a character XML
/// forbids (controls but tab, CR and LF; U+FFFE, U+FFFF). Empty when it can. The outbound
/// mapping checks every value with it, so its XML always parses again.
std::string xml_text_problem(std::string_view text);

/// Writes `doc` to `out` (replacing its contents): `<?xml version="1.0" encoding="UTF-8"?>`
/// first, then the document without indentation, every text and attribute value escaped by
/// pugixml. Any declaration node inside `doc` is not written. Never throws except bad_alloc.
void write_xml(const pugi::xml_document& doc, std::string& out);

} // namespace blubridge::mapping

#endif
