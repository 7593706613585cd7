#include "dto_conversion.hpp"

#include "json_text.hpp"

#include <blubridge/mapping/error.hpp>

namespace blubridge::gateway {

step<std::string> inbound(const mapping::dto_mapping& dto, std::string_view xml, std::vector<std::string>& ignored,
                          bool apply_defaults) {
    if (xml.find_first_not_of(" \t\r\n") == std::string_view::npos) {
        return bad_request("the request needs an XML <" + std::string(dto.name()) + "> document");
    }
    std::string json;
    mapping::conversion_report report;
    mapping::inbound_options options;
    options.apply_defaults = apply_defaults;
    if (auto ec = dto.to_json(xml, json, report, options)) {
        std::string message = report.message.empty() ? ec.message() : report.message;
        if (!report.path.empty()) message = report.path + ": " + message;
        if (ec == mapping::error::unknown_element) {
            message = "unknown elements:";
            for (const auto& u : report.unknown) message += " " + u;
        }
        return bad_request(std::move(message));
    }
    ignored = std::move(report.unknown);
    return json;
}

namespace {

failure unshowable(const boost::system::error_code& ec, const mapping::conversion_report& report) {
    std::string message = report.message.empty() ? ec.message() : report.message;
    if (!report.path.empty()) message = report.path + ": " + message;
    return {http::status::bad_gateway, "Billagain data cannot be shown as XML (" + message + ")"};
}

}  // namespace

step<std::string> outbound(const mapping::dto_mapping& dto, std::string_view json) {
    std::string xml;
    mapping::conversion_report report;
    if (auto ec = dto.to_xml(json, xml, report)) return unshowable(ec, report);
    return xml;
}

step<std::string> outbound(const mapping::dto_mapping& dto, const json::tree::value& json) {
    std::string xml;
    mapping::conversion_report report;
    if (auto ec = dto.to_xml(json, xml, report)) return unshowable(ec, report);
    return xml;
}

std::string status_document(const runtime& rt, bool success, std::optional<std::uint64_t> id,
                            const std::optional<std::string>& reference, const std::vector<std::string>& errors) {
    const auto& roles = rt.dtos.status_roles;
    std::vector<json::member> members;
    members.push_back({roles.success, success ? "true" : "false"});
    if (id) members.push_back({roles.id, std::to_string(*id)});
    if (reference) members.push_back({roles.reference, json::quote(*reference)});
    if (!errors.empty()) {
        std::vector<std::string> items;
        for (const auto& e : errors) items.push_back(json::join_object({{roles.message, json::quote(e)}}));
        members.push_back({roles.errors, json::join_array(items)});
    }
    std::string xml;
    mapping::conversion_report report;
    if (rt.dtos.status->to_xml(json::join_object(members), xml, report)) {
        // Only a broken status mapping gets here; the client still gets well-formed XML.
        return "<?xml version=\"1.0\" encoding=\"UTF-8\"?><status><success>False</success></status>";
    }
    return xml;
}

}  // namespace blubridge::gateway
