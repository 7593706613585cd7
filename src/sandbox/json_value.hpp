#pragma once
// A small JSON document model that keeps numbers as their source text, so money such as
// 500.5000 or 1728.0667 never passes through a double, and that still knows a number from
// a string (which RapidJSON's own DOM forgets under kParseNumbersAsStringsFlag).
#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace blubridge::sandbox {

class json_value {
public:
    enum class kind { null, boolean, number, string, array, object };
    using member = std::pair<std::string, json_value>;

    json_value() = default;
    static json_value make_bool(bool b);
    static json_value make_number(std::string text);
    static json_value make_string(std::string text);
    static json_value make_array();
    static json_value make_object();

    kind type() const { return kind_; }
    bool is_null() const { return kind_ == kind::null; }
    bool is_bool() const { return kind_ == kind::boolean; }
    bool is_number() const { return kind_ == kind::number; }
    bool is_string() const { return kind_ == kind::string; }
    bool is_array() const { return kind_ == kind::array; }
    bool is_object() const { return kind_ == kind::object; }

    bool as_bool() const { return bool_; }
    /// Number source text or string contents.
    const std::string& text() const { return text_; }
    const std::vector<json_value>& items() const { return items_; }
    std::vector<json_value>& items() { return items_; }
    const std::vector<member>& members() const { return members_; }
    std::vector<member>& members() { return members_; }

    /// The member named `name` (exact, case-sensitive), or nullptr.
    const json_value* find(std::string_view name) const;

private:
    kind kind_ = kind::null;
    bool bool_ = false;
    std::string text_;
    std::vector<json_value> items_;
    std::vector<member> members_;
};

struct json_parse_error {
    std::string message;  ///< RapidJSON's description of the problem
    std::size_t offset = 0;
};

/// Parses one JSON document (nesting limited to 64 levels). On failure `error` is filled
/// and nullopt returned.
std::optional<json_value> parse_json(std::string_view text, json_parse_error& error);

/// True for a JSON number text that is an integer without fraction or exponent
/// (`12`, `-3`); stores it in `out` when it fits in 64 bits.
bool integer_from_text(std::string_view text, std::int64_t& out);

}  // namespace blubridge::sandbox
