#pragma once
// How the directory's search compares text: ASCII letters without case, the name/last-name
// separator as a space, every other byte as itself. Shared by the scan and the search index.
#include "entry_text.hpp"

#include <array>
#include <string>
#include <string_view>

namespace blubridge::directory::detail {

/// In memory the name and last name are parted by this instead of field_separator, so one
/// scan of the whole text finds "name last name" too: it folds to ' ', while
/// field_separator matches nothing (no search term holds one).
inline constexpr char name_separator = '\x1e';

inline constexpr std::array<unsigned char, 256> fold_table = [] {
    std::array<unsigned char, 256> t{};
    for (unsigned c = 0; c < 256; ++c) t[c] = static_cast<unsigned char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
    t[static_cast<unsigned char>(name_separator)] = ' ';
    return t;
}();

inline unsigned char fold(char c) { return fold_table[static_cast<unsigned char>(c)]; }

inline std::string folded(std::string_view text) {
    std::string out;
    out.reserve(text.size());
    for (char c : text) out.push_back(static_cast<char>(fold(c)));
    return out;
}

/// Whether `hay` folded contains `needle`; `needle` is folded already and not empty.
inline bool contains_folded(std::string_view hay, std::string_view needle) {
    if (needle.size() > hay.size()) return false;
    const auto first = static_cast<unsigned char>(needle[0]);
    const char* end = hay.data() + (hay.size() - needle.size());
    for (const char* at = hay.data(); at <= end; ++at) {
        if (fold(*at) != first) continue;
        std::size_t i = 1;
        while (i < needle.size() && fold(at[i]) == static_cast<unsigned char>(needle[i])) ++i;
        if (i == needle.size()) return true;
    }
    return false;
}

}  // namespace blubridge::directory::detail
