#pragma once
// Billagain paging: `page` from 1, `page_size` 1..200, default 100.
#include "api_error.hpp"

#include <cstddef>
#include <optional>
#include <string_view>

namespace blubridge::sandbox {

struct page_request {
    std::size_t page = 1;
    std::size_t page_size = 100;

    std::size_t offset() const { return (page - 1) * page_size; }
};

inline constexpr std::size_t default_page_size = 100;
inline constexpr std::size_t max_page_size = 200;

/// Reads the two query parameters (absent = default). page 0, a non-number, or a page_size
/// outside 1..200 is a 400 naming the parameter.
result<page_request> parse_paging(std::optional<std::string_view> page, std::optional<std::string_view> page_size);

/// Calls `f(id)` for the ids of `order` that fall on `p`.
template <class Ids, class F>
void for_each_on_page(const Ids& order, const page_request& p, F&& f) {
    const std::size_t first = p.offset();
    if (first >= order.size()) return;
    const std::size_t last = first + p.page_size < order.size() ? first + p.page_size : order.size();
    for (std::size_t i = first; i < last; ++i) f(order[i]);
}

}  // namespace blubridge::sandbox
