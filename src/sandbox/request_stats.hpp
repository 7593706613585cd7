#pragma once
// Counts the requests the sandbox receives outside /_sandbox/, in total and per route, so tests
// can assert "exactly one upstream request". Lock-free: one relaxed atomic per route.
#include "router.hpp"

#include <atomic>
#include <cstdint>
#include <string>

namespace blubridge::sandbox {

class request_stats {
public:
    /// A request that matched `route`, or none (unknown path or wrong method).
    void count(const route_def* route);

    std::uint64_t total() const { return total_.load(std::memory_order_relaxed); }

    /// {"total":N,"routes":{"GET /v1/customers/{id}":3,…},"unmatched":U}; routes with a
    /// zero count are left out.
    std::string to_json() const;

    /// Zeroes every counter.
    void clear();

private:
    std::atomic<std::uint64_t> total_{0};
    std::atomic<std::uint64_t> unmatched_{0};
    std::array<std::atomic<std::uint64_t>, routes.size()> per_route_{};
};

}  // namespace blubridge::sandbox
