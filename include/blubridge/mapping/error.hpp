#ifndef BLUBRIDGE_MAPPING_ERROR_HPP
#define BLUBRIDGE_MAPPING_ERROR_HPP

// Errors of the mapping engine, as error codes (no exceptions on the request path).
// Modelled on Boost.Beast's http/error.hpp: an enum, a category, make_error_code and the
// is_error_code_enum specialisation so `error_code ec = error::too_deep;` works.

#include <boost/system/error_code.hpp>

#include <type_traits>

namespace blubridge::mapping {

/// Every way a conversion can fail. Values below `first_upstream` are faults in what
/// the client sent (the gateway answers 400); the rest are faults in what Billagain sent
/// (the gateway answers 502). See `is_client_error`.
enum class error {
    // XML input (client side)
    malformed_xml = 1,     ///< not well-formed XML (also: a repeated attribute, a character XML forbids)
    doctype_forbidden,     ///< a DOCTYPE or entity declaration (no XXE, no expansion)
    too_deep,              ///< element nesting deeper than xml_limits::max_depth
    too_many_elements,     ///< more elements than xml_limits::max_elements
    unsupported_encoding,  ///< a declared encoding other than UTF-8, or invalid UTF-8
    wrong_root,            ///< the root element is not the one the mapping expects
    unknown_element,       ///< elements or attributes no mapping declares (policy reject)
    duplicate_element,     ///< a single-valued element given more than once
    unexpected_content,    ///< child elements where text was expected, or text in a container
    invalid_value,         ///< a value that does not parse as its declared type
    unmapped_value,        ///< a value missing from its value map
    missing_required,      ///< a required element absent
    too_many_items,        ///< a list longer than its declared maximum
    too_many_children,     ///< an element with more child elements than xml_limits::max_children
    too_many_attributes,   ///< an element with more attributes than xml_limits::max_attributes
    too_long,              ///< a text, attribute value or name longer than xml_limits allows
    refused_element,       ///< an element the mapping refuses (`refuse:`): the other API cannot take it

    // JSON input (upstream side)
    first_upstream = 64,
    malformed_json = first_upstream, ///< not well-formed JSON, or not UTF-8
    unexpected_json_type,  ///< e.g. an object where a string was expected
    invalid_json_value,    ///< a value that does not parse as its declared type
    unmapped_json_value,   ///< a value missing from its value map
    not_representable,     ///< a character XML 1.0 cannot carry (control characters)
};

/// The category of `error`; its name is "blubridge.mapping".
const boost::system::error_category& mapping_category() noexcept;

inline boost::system::error_code make_error_code(error e) noexcept
{
    return {static_cast<int>(e), mapping_category()};
}

/// True for errors caused by the client's XML (answer 400), false for upstream faults.
inline bool is_client_error(const boost::system::error_code& ec) noexcept
{
    return ec.category() == mapping_category() &&
           ec.value() < static_cast<int>(error::first_upstream);
}

} // namespace blubridge::mapping

template <>
struct boost::system::is_error_code_enum<blubridge::mapping::error> : std::true_type {};

#endif
