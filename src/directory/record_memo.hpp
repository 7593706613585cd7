#pragma once
// The last customer records read, by their exact text.
#include <blubridge/directory/customer_directory.hpp>

#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

namespace blubridge::directory {

/// What reading a record text gave (id, fingerprint, flags), remembered by the whole text:
/// the same text read again — a GET of a customer that did not change — costs a hash and a
/// compare instead of a parse and a fingerprint. A remembered text is compared byte for
/// byte, so a hash collision can only cost a miss. Direct-mapped: `slots` texts of at most
/// `max_text` bytes each (about 1 MiB in all for customer records of ~1 KiB); a text
/// hashing to a taken slot replaces the one there. Thread-safe (a lock per slot).
class record_memo {
public:
    static constexpr std::size_t slots = 1024;
    static constexpr std::size_t max_text = 4096;

    /// The id, fingerprint and flags read from `json` before, if it is remembered.
    std::optional<customer_entry> find(std::string_view json) const;
    /// Remembers what reading `json` gave (its text fields are not kept).
    void remember(std::string_view json, const customer_entry& read);

    /// Lookups answered, for tests and the benchmark notes.
    std::uint64_t hits() const { return hits_.load(std::memory_order_relaxed); }

private:
    struct slot {
        mutable std::mutex mutex;
        std::string text;  // empty: nothing remembered
        customer_id id = 0;
        std::uint64_t fingerprint = 0;
        status_flags flags;
    };
    static std::size_t slot_of(std::string_view json);

    std::array<slot, slots> slots_;
    mutable std::atomic<std::uint64_t> hits_{0};
};

}  // namespace blubridge::directory
