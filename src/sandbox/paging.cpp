#include "paging.hpp"

#include <charconv>
#include <string>

namespace blubridge::sandbox {
namespace {

// Positive decimal below 10^9 (larger pages are simply past the end).
bool read_positive(std::string_view text, std::size_t& out) {
    if (text.empty() || text.size() > 9) return false;
    const auto r = std::from_chars(text.data(), text.data() + text.size(), out);
    return r.ec == std::errc{} && r.ptr == text.data() + text.size() && out > 0;
}

}  // namespace

result<page_request> parse_paging(std::optional<std::string_view> page, std::optional<std::string_view> page_size) {
    page_request p;
    if (page && !read_positive(*page, p.page)) return field_invalid("page", *page);
    if (page_size) {
        if (!read_positive(*page_size, p.page_size) || p.page_size > max_page_size)
            return bad_request("The value '" + std::string(*page_size) +
                               "' is not valid for page_size: it must be between 1 and 200.");
    }
    return p;
}

}  // namespace blubridge::sandbox
