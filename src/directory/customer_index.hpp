#pragma once
// The directory's in-memory half: compact entries, their indexes and the list query.
#include <blubridge/directory/customer_directory.hpp>

#include "search_index.hpp"

#include <boost/unordered/unordered_flat_set.hpp>

#include <atomic>
#include <cstdint>
#include <memory>
#include <optional>
#include <string_view>
#include <vector>

namespace blubridge::directory {

/// Entries by id and by reference in O(1); the query walks the id order, or with a search
/// term of 3 bytes or more only the blocks of slots the trigram index names.
///
/// Neither hash index copies a string or an id: each holds 4-byte slot numbers and hashes
/// the slot's own id or reference. Customers sharing a reference are chained through their
/// slots. Per customer: a 64-byte slot, one heap block of exactly its text, and about 16
/// bytes of id order and indexes, plus the trigram index's share
/// (tests/directory/memory_budget_test.cpp measures it all).
///
/// Not thread-safe: the directory locks around it (touch() excepted, see there). Neither
/// copyable nor movable (the indexes' hash functions point back at it).
class customer_index {
public:
    /// Per entry, for the refresh-pass rules: the directory's change counter when the
    /// entry was last seen or observed, and whether that was the gateway (not a page).
    struct mark {
        std::uint64_t stamp = 0;
        bool by_gateway = false;
    };

    /// A look at one entry without copying its text; valid until the index changes.
    struct entry_view {
        customer_id id = 0;
        std::uint64_t fingerprint = 0;
        unix_seconds created = 0;
        unix_seconds updated = 0;
        status_flags flags;
        std::string_view text;
        mark last;
    };

    customer_index();
    customer_index(const customer_index&) = delete;
    customer_index& operator=(const customer_index&) = delete;

    std::size_t size() const { return order_.size(); }
    /// Room for `n` entries in all, so a bulk load does not grow in steps.
    void reserve(std::size_t n);
    /// Gives back what removals and growth left unused; call after bulk changes.
    void shrink_to_fit();

    /// Inserts the entry, or replaces the one with its id (re-indexing a changed reference).
    void put(const customer_entry& entry, mark m);
    /// Sets an existing entry's mark; nothing if there is none.
    void set_mark(customer_id id, mark m);
    /// If the entry exists with this fingerprint and these flags, raises its mark to `m`
    /// (unless it is already more recent) and answers true. The one change that may run
    /// beside readers and other touches (the mark is one atomic word), never beside the
    /// other changes.
    bool touch(customer_id id, std::uint64_t fingerprint, status_flags flags, mark m);
    /// False if there was no such entry.
    bool erase(customer_id id);
    /// Erases many in one walk of the id order; shrink_to_fit() after gives the room back.
    void erase(const std::vector<customer_id>& ids);

    std::optional<entry_view> peek(customer_id id) const;
    std::optional<customer_entry> find(customer_id id) const;
    /// Ascending; empty for an empty reference.
    std::vector<customer_id> find_by_reference(std::string_view reference) const;
    /// The last id of the id order; nullopt when empty. O(1).
    std::optional<customer_id> highest_id() const {
        if (order_.empty()) return std::nullopt;
        return slots_[order_.back()].id;
    }
    /// Ids whose mark's stamp is below `stamp`, ascending.
    std::vector<customer_id> marked_before(std::uint64_t stamp) const;
    /// See customer_query.
    query_page query(const customer_query& q) const;

private:
    using slot_number = std::uint32_t;
    static constexpr slot_number no_slot = 0xffffffffu;

    // A mark as one atomic word, stamp << 1 | by_gateway, so touch() can move it while
    // others read it. Moved only under the directory's exclusive lock.
    class stored_mark {
    public:
        stored_mark() = default;
        stored_mark(stored_mark&& other) noexcept : word_(other.word_.load(std::memory_order_relaxed)) {}
        stored_mark& operator=(stored_mark&& other) noexcept {
            word_.store(other.word_.load(std::memory_order_relaxed), std::memory_order_relaxed);
            return *this;
        }
        mark load() const;
        void store(mark m) { word_.store(encode(m)); }
        /// Stores `m` unless the stored stamp is already at least as recent.
        void raise(mark m);

    private:
        static std::uint64_t encode(mark m) { return (m.stamp << 1) | (m.by_gateway ? 1u : 0u); }
        std::atomic<std::uint64_t> word_{0};
    };

    struct slot {
        customer_id id = 0;
        std::uint64_t fingerprint = 0;
        unix_seconds created = 0;
        unix_seconds updated = 0;
        stored_mark last;
        // customer_entry::text but for '\x1e' between name and last name (see query); exact
        // size: a std::string would add 24 bytes.
        std::unique_ptr<char[]> text;
        std::uint32_t text_size = 0;
        slot_number next_same_reference = no_slot;
        std::uint8_t bits = 0;

        std::string_view text_view() const { return {text.get(), text_size}; }
        std::string_view reference() const;
        status_flags flags() const;
    };

    // Lookup keys, tagged so a slot number is never taken for an id. `of` reads a slot's.
    struct by_id {
        customer_id id;
        static by_id of(const slot& s) { return {s.id}; }
        std::size_t hash() const { return static_cast<std::size_t>(id); }
        bool operator==(const by_id&) const = default;
    };
    struct by_reference {
        std::string_view reference;
        static by_reference of(const slot& s) { return {s.reference()}; }
        std::size_t hash() const;
        bool operator==(const by_reference&) const = default;
    };

    // Hash and equality of slot numbers by the key their slot holds, and of bare keys
    // against slots (transparent lookup), for boost::unordered_flat_set.
    template <class Key>
    struct slot_hash {
        using is_transparent = void;
        const customer_index* owner;
        std::size_t operator()(slot_number s) const { return Key::of(owner->slots_[s]).hash(); }
        std::size_t operator()(const Key& key) const { return key.hash(); }
    };
    template <class Key>
    struct slot_equal {
        using is_transparent = void;
        const customer_index* owner;
        bool operator()(slot_number a, slot_number b) const {
            return Key::of(owner->slots_[a]) == Key::of(owner->slots_[b]);
        }
        bool operator()(const Key& key, slot_number s) const { return Key::of(owner->slots_[s]) == key; }
        bool operator()(slot_number s, const Key& key) const { return (*this)(key, s); }
    };

    // Whether the text changed.
    static bool assign(slot& s, const customer_entry& entry, mark m);
    customer_entry to_entry(const slot& s) const;
    std::optional<slot_number> slot_of(customer_id id) const;
    std::vector<slot_number>::iterator order_position(customer_id id);
    void link_reference(slot_number s);
    void unlink_reference(slot_number s);
    void release(slot_number s);
    void compact();
    void rebuild_search_index();
    bool matches(const slot& e, const customer_query& q, std::string_view term) const;
    query_page scan(const customer_query& q, std::string_view term) const;
    query_page search(const customer_query& q, std::string_view term) const;

    std::vector<slot> slots_;          // some may be free (text == nullptr)
    std::vector<slot_number> free_;    // reused before slots_ grows
    std::vector<slot_number> order_;   // live slots by ascending id: the query's order
    boost::unordered_flat_set<slot_number, slot_hash<by_id>, slot_equal<by_id>> ids_;
    // One slot per distinct non-empty reference; the others are chained from it.
    boost::unordered_flat_set<slot_number, slot_hash<by_reference>, slot_equal<by_reference>> references_;
    search_index search_index_;
    // Texts replaced or removed since the search index was built: what it holds in vain.
    std::size_t stale_texts_ = 0;
};

}  // namespace blubridge::directory
