#pragma once
// Editing JSON text without losing how numbers were written: members are kept as raw
// JSON slices (RapidJSON SAX with numbers as text), so 500.5000 stays 500.5000 when the
// gateway adds, replaces or removes members around it.
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace blubridge::gateway::json {

struct member {
    std::string name;
    std::string raw;  ///< the value as JSON text
};

/// The members of a JSON object in order, or nullopt if `text` is not one.
std::optional<std::vector<member>> split_object(std::string_view text);

/// The elements of a JSON array as JSON text, or nullopt if `text` is not one.
std::optional<std::vector<std::string>> split_array(std::string_view text);

/// `{…}` from members (names escaped, values written as given).
std::string join_object(const std::vector<member>& members);

/// `[…]` from elements written as given.
std::string join_array(const std::vector<std::string>& elements);

/// `object` with each of `changes` replacing the member of that name, or appended.
/// nullopt if `object` is not a JSON object.
std::optional<std::string> with_members(std::string_view object, const std::vector<member>& changes);

/// `object` without the member `name`, and that member's raw value if it was there.
std::optional<std::pair<std::string, std::optional<std::string>>> take_member(std::string_view object,
                                                                               std::string_view name);

/// A top-level string member's value (unescaped); a number member gives its text as
/// written (Billagain sends some alphanumeric fields, such as RegistrationNumber, as
/// numbers); nullopt if absent, null, boolean, object or array.
std::optional<std::string> string_member(std::string_view object, std::string_view name);

/// The values of several top-level string members of `object` in one parse, in the
/// order of `names`, read as `string_member` reads one (nullopt for each absent, null,
/// boolean, object or array member, and for all of them if `object` is not a JSON object).
std::vector<std::optional<std::string>> string_members(std::string_view object,
                                                       const std::vector<std::string_view>& names);

/// A top-level boolean member; nullopt if absent or not a boolean.
std::optional<bool> bool_member(std::string_view object, std::string_view name);

/// A top-level non-negative integer member; nullopt if absent or not such a number.
std::optional<std::uint64_t> integer_member(std::string_view object, std::string_view name);

/// `text` as a quoted, escaped JSON string.
std::string quote(std::string_view text);

}  // namespace blubridge::gateway::json
