#pragma once
// Counts the requests the sandbox receives outside /_sandbox/, in total and per route, so tests
// can assert "exactly one upstream request", and the latest X-Request-Id values received, so
// tests can see a client's id reach Billagain. Counters are lock-free (one relaxed atomic per
// route); the id list has a mutex of its own.
#include "router.hpp"

#include <atomic>
#include <deque>
#include <mutex>
#include <string_view>
#include <cstdint>
#include <string>

namespace blubridge::sandbox {

class request_stats {
public:
    /// A request that matched `route`, or none (unknown path or wrong method), with its
    /// `X-Request-Id` (empty: none).
    void count(const route_def* route, std::string_view request_id = {});

    std::uint64_t total() const { return total_.load(std::memory_order_relaxed); }

    /// {"total":N,"routes":{"GET /v1/customers/{id}":3,…},"unmatched":U,"request_ids":[…]};
    /// routes with a zero count are left out; `request_ids` holds the last
    /// `kept_request_ids` distinct ids received, oldest first.
    std::string to_json() const;

    /// Zeroes every counter and forgets the ids.
    void clear();

    static constexpr std::size_t kept_request_ids = 256;

private:
    std::atomic<std::uint64_t> total_{0};
    std::atomic<std::uint64_t> unmatched_{0};
    std::array<std::atomic<std::uint64_t>, routes.size()> per_route_{};
    mutable std::mutex ids_mutex_;
    std::deque<std::string> request_ids_;
};

}  // namespace blubridge::sandbox
