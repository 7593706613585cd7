#pragma once
// Pieces shared by the store's implementation files (store_*.cpp).
#include "../json_writer.hpp"
#include "../store.hpp"

#include <mutex>
#include <shared_mutex>
#include <string>
#include <vector>

namespace blubridge::sandbox::detail {

using read_lock = std::shared_lock<std::shared_mutex>;
using write_lock = std::unique_lock<std::shared_mutex>;

inline api_answer no_content() { return api_answer{204, {}}; }

// Most single-object answers are ~1.3 KB; lists grow from there.
inline constexpr std::size_t object_reserve = 1536;

/// Renders one JSON answer into a string reserved for `reserve` bytes.
template <class Fn>
std::string render(std::size_t reserve, Fn&& fn) {
    std::string out;
    out.reserve(reserve);
    json_writer w(out);
    fn(w);
    return out;
}

/// The ids of `index[parent]`, or an empty list.
inline const std::vector<std::int64_t>& children_of(const child_index& index, std::int64_t parent) {
    static const std::vector<std::int64_t> none;
    auto it = index.find(parent);
    return it == index.end() ? none : it->second;
}

}  // namespace blubridge::sandbox::detail
