#include <blubridge/mapping/status_document.hpp>

#include <blubridge/mapping/error.hpp>

#include <rapidjson/document.h>

namespace blubridge::mapping {

namespace {

rapidjson::Value name_of(std::string_view s)
{
    return rapidjson::Value(rapidjson::StringRef(s.data(), static_cast<rapidjson::SizeType>(s.size())));
}

} // namespace

boost::system::error_code render_status(const dto_mapping& m, const status_info& info, std::string& xml,
                                        conversion_report& report)
{
    const std::string_view success = m.role("success");
    const std::string_view id = m.role("id");
    const std::string_view reference = m.role("reference");
    const std::string_view errors = m.role("errors");
    const std::string_view message = m.role("message");
    if (success.empty() || id.empty() || reference.empty() || errors.empty() || message.empty()) {
        report.path = std::string(m.name());
        report.message = "mapping lacks one of the roles success, id, reference, errors, message";
        return error::unexpected_json_type;
    }
    rapidjson::Document doc(rapidjson::kObjectType);
    auto& a = doc.GetAllocator();
    // The id travels as number text, as Billagain sends it (numbers are kept as text).
    doc.AddMember(name_of(success), rapidjson::Value(info.success), a);
    if (!info.id.empty()) doc.AddMember(name_of(id), rapidjson::Value(info.id.c_str(), a), a);
    if (!info.reference.empty()) doc.AddMember(name_of(reference), rapidjson::Value(info.reference.c_str(), a), a);
    if (!info.messages.empty()) {
        rapidjson::Value list(rapidjson::kArrayType);
        for (const auto& text : info.messages) {
            rapidjson::Value item(rapidjson::kObjectType);
            item.AddMember(name_of(message), rapidjson::Value(text.c_str(), a), a);
            list.PushBack(item, a);
        }
        doc.AddMember(name_of(errors), list, a);
    }
    return m.to_xml(doc, xml, report);
}

} // namespace blubridge::mapping
