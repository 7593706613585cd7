#pragma once
// Faults a test harness asks for through POST /_sandbox/faults: added latency, an error
// status, a dropped connection or a malformed body, for the next N matching requests, a
// fraction of them, or (neither given) every matching request until cleared.
#include "api_error.hpp"
#include "json_value.hpp"

#include <atomic>
#include <chrono>
#include <cstdint>
#include <mutex>
#include <optional>
#include <random>
#include <string>
#include <string_view>
#include <vector>

namespace blubridge::sandbox {

enum class fault_kind { latency, status, drop, malformed };

struct fault_rule {
    std::uint64_t id = 0;
    fault_kind kind = fault_kind::status;
    std::chrono::milliseconds latency{0};
    unsigned status = 500;
    std::optional<std::uint64_t> remaining;  ///< `count`; unset = unlimited
    double fraction = 1.0;
    std::string path_prefix = "/v1";
    std::string method;  ///< e.g. "POST"; empty = any method
    /// status/drop: false = before the request is applied (nothing changes), true = after
    /// it was applied (the write happened but its answer is lost). Malformed is always after.
    bool after = false;
};

/// What to do with one request.
struct fault_decision {
    std::chrono::milliseconds delay{0};
    std::optional<fault_kind> action;  ///< status, drop or malformed
    unsigned status = 0;
    bool after = false;
};

class fault_injector {
public:
    fault_injector();

    /// Parses `{"kind":"latency"|"status"|"drop"|"malformed", "latency_ms":…, "status":…,
    /// "count":N | "fraction":0.25, "path_prefix":"/v1/customers", "method":"POST",
    /// "when":"before"|"after"}`.
    /// Returns the new rule's id, or a 400 naming the bad member.
    result<std::uint64_t> add(const json_value& spec);

    void clear();

    /// Rules are tried in the order added; latency rules add up, the first firing
    /// status/drop/malformed rule ends the search. Exhausted count rules are removed.
    fault_decision decide(std::string_view method, std::string_view path);

    /// The active rules as a JSON array.
    std::string to_json() const;

private:
    std::atomic<bool> any_{false};  // lets decide() skip the lock when no fault is set
    mutable std::mutex mutex_;
    std::vector<fault_rule> rules_;
    std::uint64_t next_id_ = 1;
    std::mt19937_64 rng_;
};

std::string_view to_string(fault_kind k);

/// The body a malformed fault answers with: the real body cut in half (JSON that stops
/// mid-value), or "{" when the real answer had no body.
std::string malform(std::string_view body);

}  // namespace blubridge::sandbox
