#ifndef BLUBRIDGE_MAPPING_DTO_MAPPING_HPP
#define BLUBRIDGE_MAPPING_DTO_MAPPING_HPP

// One compiled mapping between a BluBilling XML document and a Billagain JSON value.

#include <blubridge/mapping/report.hpp>
#include <blubridge/mapping/update_member.hpp>
#include <blubridge/mapping/safe_xml.hpp>

#include <boost/system/error_code.hpp>
#include <pugixml.hpp>
#include <rapidjson/document.h>

#include <span>
#include <string>
#include <string_view>

namespace blubridge::mapping {

namespace detail {
struct program;
}
class set_builder;

/// How an inbound conversion runs.
struct inbound_options {
    /// Limits for parsing the XML text; see xml_limits for each default.
    xml_limits limits;
    /// Write the YAML `default` of fields the client left out. True for a create; the
    /// gateway passes false for a PUT it overlays onto the record it read, so a default
    /// never overwrites a value the customer already has.
    bool apply_defaults = true;
};

/// A compiled mapping, owned by a `mapping_set` and valid as long as the set lives.
/// Immutable and safe to use from any number of threads at once.
///
/// Promises of both directions:
/// - only declared fields cross; everything else is dropped (outbound) or reported
///   (inbound, see `conversion_report::unknown`);
/// - JSON `null` ⇄ element absent (or `xsi:nil="true"` for fields declared `nil: true`),
///   `""` ⇄ empty element; one never becomes the other;
/// - a declared list is always a JSON array (one element → one-item array, none → `[]`);
/// - decimals and integers travel as text, never through binary floating point;
/// - secret fields never appear in XML output (the loader refuses such a mapping).
/// Never throws except std::bad_alloc.
class dto_mapping {
public:

    /// The mapping's name in the YAML (`customer`, `contact`, ...).
    std::string_view name() const noexcept;

    /// The root element the mapping reads and writes (`xml_root:` in the YAML).
    std::string_view xml_root() const noexcept;

    /// The JSON path the YAML declares for `role` under `roles:` (e.g. role "id" →
    /// "customerID"), or an empty view. Lets the gateway find identifiers without
    /// naming API fields in C++.
    std::string_view role(std::string_view role) const noexcept;

    /// The members of the update form the YAML declares under `update_form:` (empty when
    /// it declares none): what Billagain's PUT takes, where a member left out becomes null,
    /// each with the member of the read form it is carried over from.
    std::span<const update_member> update_form() const noexcept;

    /// BluBilling XML → Billagain JSON (inbound).
    ///
    /// Parses `xml` with `parse_xml` and `options.limits`, checks the root element, converts
    /// every inbound field and writes compact JSON to `json` (replaced). Fields marked `out`
    /// that a client sends back (such as `@id` after a GET) are accepted and not forwarded.
    /// On failure `json` is unspecified and `report.path`/`report.message` name the field.
    boost::system::error_code to_json(std::string_view xml, std::string& json,
                                      conversion_report& report,
                                      const inbound_options& options = {}) const;

    /// As above for a document the caller has already parsed with `parse_xml`;
    /// `root` is the element that corresponds to the mapping's root.
    boost::system::error_code to_json(const pugi::xml_node& root, std::string& json,
                                      conversion_report& report,
                                      const inbound_options& options = {}) const;

    /// Billagain JSON → BluBilling XML (outbound).
    ///
    /// Parses `json` (UTF-8 validated, numbers kept as text), converts every outbound field
    /// and writes the XML document, declaration first, to `xml` (replaced). Members the
    /// mapping does not declare are ignored: that is how card numbers, tokens and passwords
    /// Billagain returns never reach a client.
    boost::system::error_code to_xml(std::string_view json, std::string& xml,
                                     conversion_report& report) const;

    /// As above for a value the caller has parsed. Numbers should have been parsed with
    /// `rapidjson::kParseNumbersAsStringsFlag`; integers parsed otherwise are accepted,
    /// non-integral doubles are refused (invalid_json_value) rather than rounded.
    boost::system::error_code to_xml(const rapidjson::Value& root, std::string& xml,
                                     conversion_report& report) const;

    /// Appends this mapping's output under `parent` instead of building a document:
    /// `parent` receives one new element named after the mapping's root.
    boost::system::error_code append_xml(const rapidjson::Value& root, pugi::xml_node parent,
                                         conversion_report& report) const;

private:
    friend class set_builder;  // the loader is the only maker
    explicit dto_mapping(const detail::program& program) noexcept : program_(&program) {}

    const detail::program* program_;
};

} // namespace blubridge::mapping

#endif
