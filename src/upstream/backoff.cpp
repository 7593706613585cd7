#include "backoff.hpp"

#include <algorithm>
#include <random>

namespace blubridge::upstream {

std::chrono::milliseconds backoff_delay(const retry_policy& policy, unsigned retry, double unit) {
    // Doubling stops at the cap; 2^20 × any sane base is far past it already.
    const unsigned doublings = std::min(std::max(retry, 1u) - 1, 20u);
    const auto ceiling = std::min(policy.backoff_max, std::chrono::milliseconds(policy.backoff_base.count() << doublings));
    const double fraction = std::clamp(unit, 0.0, 1.0);
    return std::chrono::milliseconds(static_cast<std::int64_t>(fraction * static_cast<double>(ceiling.count())));
}

std::chrono::milliseconds jittered_backoff(const retry_policy& policy, unsigned retry) {
    thread_local std::minstd_rand generator{std::random_device{}()};
    return backoff_delay(policy, retry, std::uniform_real_distribution<double>(0.0, 1.0)(generator));
}

}  // namespace blubridge::upstream
