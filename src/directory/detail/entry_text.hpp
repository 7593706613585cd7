#pragma once
// The layout of customer_entry::text: the searchable fields in one string (one heap block
// per customer instead of five), separated by '\x1f'.
#include <string>
#include <string_view>

namespace blubridge::directory::detail {

inline constexpr char field_separator = '\x1f';

enum class text_field : unsigned { reference = 0, name, last_name, company, email };

/// The field's text; empty when the text has fewer fields.
std::string_view field_of(std::string_view text, text_field field);

/// Joins the five fields. A separator, '\x1e' or NUL inside a value becomes a space, so
/// the fields always split back as they were given.
std::string join_fields(std::string_view reference, std::string_view name, std::string_view last_name,
                        std::string_view company, std::string_view email);

}  // namespace blubridge::directory::detail
