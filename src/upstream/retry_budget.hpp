#pragma once
#include <blubridge/upstream/client_options.hpp>

#include <chrono>
#include <cstdint>
#include <mutex>
#include <vector>

namespace blubridge::upstream {

/// The retries one host may still take, so that a failing upstream is not hit by a retry
/// storm (Finagle's and Envoy's retry budgets, gRPC's retry throttling). A retry is allowed
/// while the retries of the last `budget_window` stay within `budget_percent` of the
/// requests (first attempts) of that window, or while fewer than `min_retries_per_second`
/// retries went out in the last second.
///
/// The window is kept in one-second buckets (it slides by whole seconds); the per-second
/// floor is exact. Time is passed in, so tests drive it without sleeping. Thread-safe.
class retry_budget {
public:
    using clock = std::chrono::steady_clock;

    explicit retry_budget(const retry_policy& policy);

    /// Counts a request's first attempt.
    void on_request(clock::time_point now);

    /// Takes one retry from the budget: true (and the retry counted) when one is allowed.
    bool try_retry(clock::time_point now);

private:
    struct bucket {
        std::int64_t second = -1;  // which second it counts; -1 = unused
        std::uint64_t requests = 0;
        std::uint64_t retries = 0;
    };

    bucket& current(std::int64_t second);  // mutex_ held
    bool within_percentage(std::int64_t second) const;
    bool within_floor(clock::time_point now) const;

    const unsigned percent_;
    const unsigned floor_;

    std::mutex mutex_;
    std::vector<bucket> buckets_;                 // ring, one per second of the window
    std::vector<clock::time_point> last_retries_;  // ring of the latest `floor_` retry times
    std::size_t oldest_retry_ = 0;
};

}  // namespace blubridge::upstream
