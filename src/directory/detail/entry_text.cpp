#include "detail/entry_text.hpp"

namespace blubridge::directory::detail {

std::string_view field_of(std::string_view text, text_field field) {
    for (unsigned skip = static_cast<unsigned>(field); skip > 0; --skip) {
        const auto sep = text.find(field_separator);
        if (sep == std::string_view::npos) return {};
        text.remove_prefix(sep + 1);
    }
    return text.substr(0, text.find(field_separator));
}

std::string join_fields(std::string_view reference, std::string_view name, std::string_view last_name,
                        std::string_view company, std::string_view email) {
    std::string text;
    text.reserve(reference.size() + name.size() + last_name.size() + company.size() + email.size() + 4);
    bool first = true;
    for (const auto value : {reference, name, last_name, company, email}) {
        if (!first) text.push_back(field_separator);
        first = false;
        // '\x1e' too: customer_index uses it in memory between name and last name.
        for (char c : value) text.push_back(c == field_separator || c == '\x1e' || c == '\0' ? ' ' : c);
    }
    return text;
}

}  // namespace blubridge::directory::detail
