#include "retry_budget.hpp"

#include <algorithm>

namespace blubridge::upstream {

namespace {

std::int64_t second_of(retry_budget::clock::time_point t) {
    return std::chrono::duration_cast<std::chrono::seconds>(t.time_since_epoch()).count();
}

}  // namespace

retry_budget::retry_budget(const retry_policy& policy)
    : percent_(policy.budget_percent),
      floor_(policy.min_retries_per_second),
      buckets_(static_cast<std::size_t>(std::max<std::int64_t>(1, policy.budget_window.count()))) {
    // Never used slots are old enough not to hold back the floor.
    last_retries_.assign(floor_, clock::time_point::min());
}

retry_budget::bucket& retry_budget::current(std::int64_t second) {
    const auto n = static_cast<std::int64_t>(buckets_.size());
    auto& b = buckets_[static_cast<std::size_t>(((second % n) + n) % n)];
    if (b.second != second) b = bucket{second, 0, 0};  // a slot last used a window ago
    return b;
}

bool retry_budget::within_percentage(std::int64_t second) const {
    const auto n = static_cast<std::int64_t>(buckets_.size());
    std::uint64_t requests = 0;
    std::uint64_t retries = 0;
    for (const auto& b : buckets_) {
        if (b.second > second - n && b.second <= second) {
            requests += b.requests;
            retries += b.retries;
        }
    }
    // retries + 1 ≤ percent % of requests, in integers.
    return (retries + 1) * 100 <= requests * percent_;
}

bool retry_budget::within_floor(clock::time_point now) const {
    if (floor_ == 0) return false;
    // Fewer than floor_ retries in the last second: the oldest of the latest floor_ is older.
    return last_retries_[oldest_retry_] <= now - std::chrono::seconds(1);  // no overflow against min()
}

void retry_budget::on_request(clock::time_point now) {
    std::lock_guard lock(mutex_);
    ++current(second_of(now)).requests;
}

bool retry_budget::try_retry(clock::time_point now) {
    std::lock_guard lock(mutex_);
    const auto second = second_of(now);
    if (!within_percentage(second) && !within_floor(now)) return false;
    ++current(second).retries;
    if (floor_ != 0) {
        last_retries_[oldest_retry_] = now;
        oldest_retry_ = (oldest_retry_ + 1) % last_retries_.size();
    }
    return true;
}

}  // namespace blubridge::upstream
