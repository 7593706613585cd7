#pragma once
// A trigram index over the directory's search texts, so a search looks at the few entries
// that can match instead of every entry.
#include <boost/unordered/unordered_flat_map.hpp>

#include <cstddef>
#include <cstdint>
#include <string_view>
#include <vector>

namespace blubridge::directory {

/// Folded trigram → the blocks of slots (block_size consecutive slot numbers) whose texts
/// hold it. Blocks rather than slots keep it small (a trigram every customer has costs one
/// posting per block, not per customer; about 4 MiB at 1,000,000 bulk customers) at the
/// price of checking up to block_size entries per candidate block.
///
/// Only ever a superset: a text replaced or removed leaves its trigrams behind (the caller
/// verifies every candidate and rebuilds when too much is stale), so changes cost no
/// removal. Trigrams holding the field separator are not indexed: no search term holds one.
class search_index {
public:
    using slot_number = std::uint32_t;
    using block_number = std::uint32_t;
    static constexpr std::size_t block_size = 64;
    /// Shorter terms have no trigram: the caller scans.
    static constexpr std::size_t shortest_term = 3;

    static block_number block_of(slot_number s) { return s / block_size; }

    /// Slot `s` now holds `text` (as customer_index keeps it, not folded).
    void add(slot_number s, std::string_view text);
    void clear() { blocks_by_trigram_.clear(); }
    /// Gives back the growth slack of every posting list (after a bulk load or rebuild).
    void shrink_to_fit();

    /// Ascending blocks holding every trigram of `term` (folded, at least shortest_term
    /// bytes): a superset of the blocks holding an entry whose text contains it.
    std::vector<block_number> candidate_blocks(std::string_view term) const;

    /// Postings in all, for tests and the record.
    std::size_t postings() const;

private:
    using trigram = std::uint32_t;
    static void add_block(std::vector<block_number>& blocks, block_number b);

    boost::unordered_flat_map<trigram, std::vector<block_number>> blocks_by_trigram_;
};

}  // namespace blubridge::directory
