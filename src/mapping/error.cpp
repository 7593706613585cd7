#include <blubridge/mapping/error.hpp>

#include <string>

namespace blubridge::mapping {
namespace {

class mapping_category_impl final : public boost::system::error_category {
public:
    const char* name() const noexcept override { return "blubridge.mapping"; }

    std::string message(int ev) const override
    {
        switch (static_cast<error>(ev)) {
        case error::malformed_xml: return "malformed XML";
        case error::doctype_forbidden: return "DOCTYPE and entity declarations are not allowed";
        case error::too_deep: return "XML nested too deeply";
        case error::too_many_elements: return "too many XML elements";
        case error::unsupported_encoding: return "only UTF-8 is accepted";
        case error::wrong_root: return "unexpected root element";
        case error::unknown_element: return "unknown element";
        case error::duplicate_element: return "element given more than once";
        case error::unexpected_content: return "unexpected content";
        case error::invalid_value: return "invalid value";
        case error::unmapped_value: return "value not allowed";
        case error::missing_required: return "required element missing";
        case error::too_many_items: return "too many items";
        case error::too_many_children: return "too many child elements";
        case error::too_many_attributes: return "too many attributes";
        case error::too_long: return "XML value or name too long";
        case error::refused_element: return "element not supported";
        case error::malformed_json: return "malformed upstream JSON";
        case error::unexpected_json_type: return "unexpected type in upstream JSON";
        case error::invalid_json_value: return "invalid value in upstream JSON";
        case error::unmapped_json_value: return "upstream value has no mapping";
        case error::not_representable: return "value cannot be written as XML";
        }
        return "blubridge.mapping error";
    }
};

} // namespace

const boost::system::error_category& mapping_category() noexcept
{
    static const mapping_category_impl instance;
    return instance;
}

} // namespace blubridge::mapping
