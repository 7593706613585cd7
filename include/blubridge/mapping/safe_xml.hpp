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

/// Limits applied to every inbound XML document.
struct xml_limits {
    /// Deepest element nesting accepted; the root element is depth 1. Default 32.
    std::size_t max_depth = 32;
    /// Most elements accepted in one document. Default 10,000.
    std::size_t max_elements = 10'000;
};

/// Parses `text` into `doc`, refusing what a hostile client could abuse.
///
/// Rejects, with the error named in parentheses: text that is not well-formed XML
/// (malformed_xml, `report.message` gives pugixml's reason and the byte offset); any DOCTYPE,
/// and so any entity declaration (doctype_forbidden; pugixml never expands entities other
/// than the five predefined ones and character references); an XML declaration naming an
/// encoding other than UTF-8 (unsupported_encoding); nesting deeper than `limits.max_depth`
/// (too_deep) and more than `limits.max_elements` elements (too_many_elements).
/// The input is read as UTF-8; invalid UTF-8 is caught when values are converted.
/// `doc` is reset first. Never throws.
boost::system::error_code parse_xml(std::string_view text, pugi::xml_document& doc,
                                    conversion_report& report, const xml_limits& limits = {});

/// Writes `doc` to `out` (replacing its contents): `<?xml version="1.0" encoding="UTF-8"?>`
/// first, then the document without indentation, every text and attribute value escaped by
/// pugixml. Any declaration node inside `doc` is not written. Never throws except bad_alloc.
void write_xml(const pugi::xml_document& doc, std::string& out);

} // namespace blubridge::mapping

#endif
