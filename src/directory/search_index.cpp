#include "search_index.hpp"

#include "detail/text_fold.hpp"

#include <algorithm>
#include <functional>

namespace blubridge::directory {
namespace {

constexpr auto separator = static_cast<unsigned char>(detail::field_separator);

// The folded trigram starting at `at` as a 24-bit key, or nothing when it spans a field
// separator.
template <class Each>
void for_each_trigram(std::string_view text, bool fold, Each each) {
    if (text.size() < search_index::shortest_term) return;
    for (std::size_t at = 0; at + 3 <= text.size(); ++at) {
        unsigned char c[3];
        for (int i = 0; i < 3; ++i) {
            const char byte = text[at + static_cast<std::size_t>(i)];
            c[i] = fold ? detail::fold(byte) : static_cast<unsigned char>(byte);
        }
        if (c[0] == separator || c[1] == separator || c[2] == separator) continue;
        each((std::uint32_t{c[0]} << 16) | (std::uint32_t{c[1]} << 8) | c[2]);
    }
}

// `small` ∩ `large`, both ascending, into `small`. Binary searches when `large` is much
// longer (a rare trigram against a common one), a merge otherwise.
void intersect(std::vector<search_index::block_number>& small, const std::vector<search_index::block_number>& large) {
    if (large.size() > 16 * small.size()) {
        auto from = large.begin();
        std::erase_if(small, [&](search_index::block_number b) {
            from = std::lower_bound(from, large.end(), b);
            return from == large.end() || *from != b;
        });
        return;
    }
    const auto end = std::set_intersection(small.begin(), small.end(), large.begin(), large.end(), small.begin());
    small.erase(end, small.end());
}

}  // namespace

void search_index::add_block(std::vector<block_number>& blocks, block_number b) {
    // Slots are mostly filled in ascending order, so this is nearly always the last block
    // or one past it.
    if (blocks.empty() || blocks.back() < b) {
        blocks.push_back(b);
        return;
    }
    if (blocks.back() == b) return;
    const auto at = std::lower_bound(blocks.begin(), blocks.end(), b);
    if (*at != b) blocks.insert(at, b);
}

void search_index::add(slot_number s, std::string_view text) {
    const auto b = block_of(s);
    for_each_trigram(text, true, [&](trigram t) { add_block(blocks_by_trigram_[t], b); });
}

void search_index::shrink_to_fit() {
    for (auto& [t, blocks] : blocks_by_trigram_) blocks.shrink_to_fit();
    blocks_by_trigram_.rehash(0);
}

std::vector<search_index::block_number> search_index::candidate_blocks(std::string_view term) const {
    std::vector<const std::vector<block_number>*> lists;
    bool missing = false;
    for_each_trigram(term, false, [&](trigram t) {
        const auto it = blocks_by_trigram_.find(t);
        if (it == blocks_by_trigram_.end())
            missing = true;
        else
            lists.push_back(&it->second);
    });
    if (missing || lists.empty()) return {};
    // Rarest first; a trigram the term repeats is intersected once.
    std::sort(lists.begin(), lists.end(), [](auto* a, auto* b) {
        return a->size() != b->size() ? a->size() < b->size() : std::less<>{}(a, b);
    });
    lists.erase(std::unique(lists.begin(), lists.end()), lists.end());
    std::vector<block_number> blocks = *lists.front();
    for (std::size_t i = 1; i < lists.size() && !blocks.empty(); ++i) intersect(blocks, *lists[i]);
    return blocks;
}

std::size_t search_index::postings() const {
    std::size_t n = 0;
    for (const auto& [t, blocks] : blocks_by_trigram_) n += blocks.size();
    return n;
}

}  // namespace blubridge::directory
