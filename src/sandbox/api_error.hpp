#pragma once
// The error a Billagain call answers with: an HTTP status and one message, sent as
// {"Errors":[{"Message":"…"}]}. Plus `result<T>`, the no-exceptions return type of the
// request path.
#include <string>
#include <string_view>
#include <utility>
#include <variant>

namespace blubridge::sandbox {

struct api_error {
    unsigned status = 400;
    std::string message;
};

/// Messages Billagain uses (missing objects answer 410 Gone, like the seed's customer).
api_error customer_not_found();
api_error subscription_not_found();
api_error contact_not_found();
api_error payment_method_not_found();
api_error bad_request(std::string message);
/// "The X field is required." — names the field as Billagain's model validation does.
api_error field_required(std::string_view field);
/// "The value 'v' is not valid for X." — wrong JSON type or unusable value.
api_error field_invalid(std::string_view field, std::string_view value);

/// The body of an error answer.
std::string error_body(const std::string& message);

/// Either a value or an api_error.
template <class T>
class result {
public:
    result(T value) : v_(std::in_place_index<0>, std::move(value)) {}
    result(api_error error) : v_(std::in_place_index<1>, std::move(error)) {}

    bool has_value() const { return v_.index() == 0; }
    explicit operator bool() const { return has_value(); }
    T& value() { return std::get<0>(v_); }
    const T& value() const { return std::get<0>(v_); }
    T& operator*() { return value(); }
    const T& operator*() const { return value(); }
    T* operator->() { return &value(); }
    const T* operator->() const { return &value(); }
    const api_error& error() const { return std::get<1>(v_); }

private:
    std::variant<T, api_error> v_;
};

/// Outcome of an operation with no value (204 No Content on success).
using status_result = result<std::monostate>;
inline status_result ok() { return status_result{std::monostate{}}; }

}  // namespace blubridge::sandbox
