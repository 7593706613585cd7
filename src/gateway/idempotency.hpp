#pragma once
#include "failure.hpp"

#include <blubridge/config/gateway_config.hpp>
#include <blubridge/directory/idempotency_store.hpp>
#include <blubridge/http/message.hpp>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace blubridge::gateway {

/// The `Idempotency-Key` request header (IETF draft httpapi-idempotency-key-header).
inline constexpr std::string_view idempotency_key_header = "Idempotency-Key";
/// Set on an answer sent again for a retried key.
inline constexpr std::string_view idempotent_replayed_header = "Idempotent-Replayed";

/// What the key of one POST or PUT decided before its operation runs.
struct idempotent_request {
    bool claimed = false;                        ///< finish_idempotent must follow
    std::optional<failure> refused;              ///< 400 bad key, 409 still running, 422 other request
    std::optional<directory::stored_answer> replay;  ///< answered before: send this again
    std::optional<std::uint64_t> resume_create_after;  ///< see operation_context
    std::string client, key;
};

/// Looks the request's key up for `client` (keys are scoped by client). A request without
/// the header, or not a POST or PUT, is neither claimed nor refused. A key is 1 to 255
/// visible ASCII characters; the request is identified by a SHA-256 of its method, target
/// and body, so the same key with another request is refused (422).
idempotent_request begin_idempotent(const http_server::request& req, std::string_view client,
                                    directory::idempotency_store& store, const config::idempotency_settings& settings);

/// Records how a claimed request ended: an answer below 500 is kept for retries; a 5xx
/// frees the key (the client should retry), except a create whose outcome is unknown,
/// which is kept as `unresolved_create_after` so the retry looks for it first.
void finish_idempotent(const idempotent_request& claim, directory::idempotency_store& store, unsigned status,
                       const std::string& body, std::optional<std::uint64_t> unresolved_create_after);

}  // namespace blubridge::gateway
