#include "api_error.hpp"

#include "json_writer.hpp"

namespace blubridge::sandbox {

api_error customer_not_found() { return {410, "Cannot find Customer for this Account"}; }
api_error subscription_not_found() { return {410, "Cannot find Subscription for this Account"}; }
api_error contact_not_found() { return {410, "Cannot find Customer Contact for this Account"}; }
api_error payment_method_not_found() { return {410, "Cannot find Payment Method for this Account"}; }
api_error bad_request(std::string message) { return {400, std::move(message)}; }

api_error field_required(std::string_view field) {
    std::string m = "The ";
    m += field;
    m += " field is required.";
    return {400, std::move(m)};
}

api_error field_invalid(std::string_view field, std::string_view value) {
    std::string m = "The value '";
    m += value;
    m += "' is not valid for ";
    m += field;
    m += '.';
    return {400, std::move(m)};
}

std::string error_body(const std::string& message) {
    std::string out;
    out.reserve(message.size() + 32);
    json_writer w(out);
    w.start_object();
    w.key("Errors");
    w.start_array();
    w.start_object();
    w.field("Message", message);
    w.end_object();
    w.end_array();
    w.end_object();
    return out;
}

}  // namespace blubridge::sandbox
