#ifndef BLUBRIDGE_MAPPING_DETAIL_TEXT_HPP
#define BLUBRIDGE_MAPPING_DETAIL_TEXT_HPP

// Small text helpers shared by both directions.

#include <pugixml.hpp>

#include <cstring>
#include <string>
#include <string_view>

namespace blubridge::mapping::detail {

inline bool equals_ascii_ci(std::string_view a, std::string_view b) noexcept
{
    if (a.size() != b.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
        char x = a[i], y = b[i];
        if (x >= 'A' && x <= 'Z') x = static_cast<char>(x + 32);
        if (y >= 'A' && y <= 'Z') y = static_cast<char>(y + 32);
        if (x != y) return false;
    }
    return true;
}

/// The element's text: its text and CDATA children concatenated (usually just one, returned
/// without copying). Child elements are not part of it.
inline std::string_view element_text(pugi::xml_node n, std::string& scratch)
{
    pugi::xml_node c = n.first_child();
    if (!c) return {};
    if (!c.next_sibling() && (c.type() == pugi::node_pcdata || c.type() == pugi::node_cdata))
        return c.value();
    scratch.clear();
    for (; c; c = c.next_sibling())
        if (c.type() == pugi::node_pcdata || c.type() == pugi::node_cdata) scratch += c.value();
    return scratch;
}

/// `root/child/...` from the document element down to `n`, for messages. An element that
/// has siblings of its own name gets its 1-based position: `orders/order[2]/term`.
/// Only called on the way to an error or an unknown element, so the sibling scan is fine.
inline std::string xml_path_of(pugi::xml_node n)
{
    std::string path;
    for (; n && n.type() == pugi::node_element; n = n.parent()) {
        std::string step = n.name();
        const bool repeated = n.previous_sibling(n.name()) || n.next_sibling(n.name());
        if (repeated) {
            std::size_t index = 1;
            for (pugi::xml_node s = n.previous_sibling(n.name()); s; s = s.previous_sibling(n.name())) ++index;
            step += "[" + std::to_string(index) + "]";
        }
        path.insert(0, path.empty() ? step : step + "/");
    }
    return path;
}

/// Quotes a value for an error message, shortened so a huge value cannot flood a log.
inline std::string quote_value(std::string_view v)
{
    constexpr std::size_t limit = 64;
    std::string s = "'";
    s.append(v.substr(0, limit));
    if (v.size() > limit) s += "...";
    s += "'";
    return s;
}

} // namespace blubridge::mapping::detail

#endif
