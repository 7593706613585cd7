#pragma once
// idempotency_store in the directory's SQLite state store.
#include <blubridge/directory/idempotency_store.hpp>

#include "state_store.hpp"

#include <mutex>

namespace blubridge::directory {

/// Shares the directory's connection and the mutex that serialises it (the directory owns
/// both and outlives this). "Older than n seconds" means at < now - n: a claim exactly
/// `lease_seconds` old is still busy, an answer exactly `retention_seconds` old still
/// replays (as expire(now - retention) keeps it).
class stored_idempotency final : public idempotency_store {
public:
    stored_idempotency(std::mutex& store_mutex, state_store& store) : mutex_(store_mutex), store_(store) {}

    idempotency_claim claim(std::string_view client, std::string_view key, std::string_view request_hash,
                            unix_seconds now, std::int64_t lease_seconds, std::int64_t retention_seconds) override;
    void complete(std::string_view client, std::string_view key, const stored_answer& answer,
                  unix_seconds now) override;
    void release(std::string_view client, std::string_view key) override;
    void mark_unresolved_create(std::string_view client, std::string_view key,
                                std::uint64_t highest_id_before) override;
    std::size_t expire(unix_seconds before) override;

private:
    // With mutex_ held: what to answer for `row`, writing the claim into `batch`.
    static idempotency_claim decide(state_store::batch& batch, const std::optional<idempotency_row>& row,
                                    std::string_view client, std::string_view key, std::string_view request_hash,
                                    unix_seconds now, std::int64_t lease_seconds, std::int64_t retention_seconds);
    // One line on stderr, as the directory reports its failed writes.
    void report(std::string_view context) const;

    std::mutex& mutex_;
    state_store& store_;
};

}  // namespace blubridge::directory
