#pragma once
// Reads typed members out of a request's JSON object, remembering the first problem as a
// 400 api_error that names the field (with its path, e.g. "Subscriptions[0].StartDate").
#include "../api_error.hpp"
#include "../json_value.hpp"
#include "../model.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace blubridge::sandbox::detail {

class field_reader {
public:
    /// `object` must outlive the reader. A non-object records an error at once.
    field_reader(const json_value& object, std::string path = {});

    bool ok() const { return !error_; }
    const api_error& error() const { return *error_; }
    void fail(api_error e) {
        if (!error_) error_ = std::move(e);
    }

    /// Present and not null.
    bool has(std::string_view name) const;
    const json_value* get(std::string_view name) const;
    std::string path_of(std::string_view name) const;

    /// Strings; numbers are accepted and kept as their text (Billagain answers
    /// "RegistrationNumber": "123123" for an input of 123123).
    opt_string optional_string(std::string_view name);
    std::string required_string(std::string_view name);

    bool optional_bool(std::string_view name, bool fallback = false);
    bool required_bool(std::string_view name);

    /// Integers; a string of digits is accepted ("1", "115"), as Billagain does.
    opt_int optional_int(std::string_view name);
    std::int64_t required_int(std::string_view name);

    /// Dates in every form parse_billagain_time reads; anything else is a 400.
    opt_time optional_date(std::string_view name);
    billagain_time required_date(std::string_view name);

    raw_scalar optional_raw_scalar(std::string_view name);

private:
    const json_value* object_;
    std::string path_;
    std::optional<api_error> error_;
};

}  // namespace blubridge::sandbox::detail
