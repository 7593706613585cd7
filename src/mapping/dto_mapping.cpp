#include <blubridge/mapping/dto_mapping.hpp>

#include "detail/inbound.hpp"
#include "detail/outbound.hpp"
#include "detail/program.hpp"

#include <blubridge/mapping/error.hpp>

#include <rapidjson/error/en.h>

namespace blubridge::mapping {

using boost::system::error_code;

std::string_view dto_mapping::name() const noexcept { return program_->name; }

std::string_view dto_mapping::xml_root() const noexcept { return program_->xml.front().name; }

std::string_view dto_mapping::role(std::string_view role) const noexcept
{
    for (const auto& [name, path] : program_->roles)
        if (name == role) return path;
    return {};
}

std::span<const update_member> dto_mapping::update_form() const noexcept { return program_->update_form; }

error_code dto_mapping::to_json(std::string_view xml, std::string& json, conversion_report& report,
                                const inbound_options& options) const
{
    pugi::xml_document doc;
    if (error_code ec = parse_xml(xml, doc, report, options.limits)) return ec;
    return to_json(doc.document_element(), json, report, options);
}

error_code dto_mapping::to_json(const pugi::xml_node& root, std::string& json, conversion_report& report,
                                const inbound_options& options) const
{
    json.clear();
    if (program_->xml[0].name != root.name()) {
        report.path = root.name();
        report.message = "expected root element <" + program_->xml[0].name + ">";
        return error::wrong_root;
    }
    return detail::run_inbound(*program_, root, json, report, options.apply_defaults);
}

error_code dto_mapping::to_xml(std::string_view json, std::string& xml, conversion_report& report) const
{
    // The first few KiB of the DOM and the parser's stack live on this thread's stack, so a
    // typical Billagain record is parsed without touching the heap.
    char value_buffer[8192];
    char parse_buffer[1024];
    rapidjson::MemoryPoolAllocator<> value_allocator(value_buffer, sizeof value_buffer);
    rapidjson::MemoryPoolAllocator<> parse_allocator(parse_buffer, sizeof parse_buffer);
    rapidjson::GenericDocument<rapidjson::UTF8<>, rapidjson::MemoryPoolAllocator<>, rapidjson::MemoryPoolAllocator<>> doc(
        &value_allocator, sizeof parse_buffer, &parse_allocator);
    // Numbers as text: 500.5000 and 1728.0667 must come out exactly as they went in.
    doc.Parse<rapidjson::kParseNumbersAsStringsFlag | rapidjson::kParseValidateEncodingFlag>(json.data(), json.size());
    if (doc.HasParseError()) {
        report.path.clear();
        report.message = std::string(rapidjson::GetParseError_En(doc.GetParseError())) + " at byte " +
                         std::to_string(doc.GetErrorOffset());
        return error::malformed_json;
    }
    return to_xml(doc, xml, report);
}

error_code dto_mapping::to_xml(const rapidjson::Value& root, std::string& xml, conversion_report& report) const
{
    pugi::xml_document doc;
    if (error_code ec = detail::run_outbound(*program_, root, doc, report)) return ec;
    write_xml(doc, xml);
    return {};
}

error_code dto_mapping::append_xml(const rapidjson::Value& root, pugi::xml_node parent,
                                   conversion_report& report) const
{
    return detail::run_outbound(*program_, root, parent, report);
}

} // namespace blubridge::mapping
