#pragma once
// Answers to client writes kept by `Idempotency-Key` (IETF draft
// httpapi-idempotency-key-header, as Stripe does it), so a retried POST or PUT is answered
// without a second Billagain write.
#include <blubridge/directory/customer_directory.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace blubridge::directory {

/// A complete answer as it was sent to the client.
struct stored_answer {
    unsigned status = 0;
    std::string body;
};

/// What `claim` found for a (client, key) pair.
struct idempotency_claim {
    enum class state {
        claimed,    ///< new (or expired, or abandoned): the caller runs the request, then complete() or release()
        replay,     ///< answered before with the same request: `answer` is what to send again
        busy,       ///< the first request with this key is still running (409)
        mismatch,   ///< the key was used with another request (422)
        resume,     ///< claimed again after an outcome the gateway could not learn: `unresolved_create_after` says what to look for
    };
    state outcome = state::claimed;
    stored_answer answer;                               ///< for replay
    std::optional<std::uint64_t> unresolved_create_after;  ///< for resume: see mark_unresolved_create
};

/// Durable (the same SQLite state store as the directory), thread-safe. Keys are scoped by
/// client: one client never sees another's answers. Nothing throws after open; a failed
/// write is reported on stderr and the call behaves as if the key were unknown (the
/// request runs without the protection rather than failing).
class idempotency_store {
public:
    virtual ~idempotency_store() = default;

    /// Claims `key` of `client` for a request whose content hashes to `request_hash`
    /// (method, target and body). A claim older than `lease_seconds` that was never
    /// completed (the gateway stopped mid-request) counts as abandoned and is taken over;
    /// an answer older than `retention_seconds` is forgotten and the key claimed anew.
    virtual idempotency_claim claim(std::string_view client, std::string_view key, std::string_view request_hash,
                                    unix_seconds now, std::int64_t lease_seconds, std::int64_t retention_seconds) = 0;
    /// Stores the answer for the claimed key; later claims with the same hash replay it.
    virtual void complete(std::string_view client, std::string_view key, const stored_answer& answer,
                          unix_seconds now) = 0;
    /// The request ended without an answer worth keeping (a 5xx the client should retry):
    /// the key is free again.
    virtual void release(std::string_view client, std::string_view key) = 0;
    /// The request was a create whose Billagain answer was lost and whose outcome could not
    /// be learnt: the customer may exist, with an id above `highest_id_before`. The key is
    /// free again, and the next claim with the same hash is `resume` carrying that id, so
    /// the retry looks for the customer before creating one.
    virtual void mark_unresolved_create(std::string_view client, std::string_view key,
                                        std::uint64_t highest_id_before) = 0;
    /// Forgets answers and claims older than `before`; their number.
    virtual std::size_t expire(unix_seconds before) = 0;
};

}  // namespace blubridge::directory
