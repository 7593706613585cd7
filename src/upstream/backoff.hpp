#pragma once
#include <blubridge/upstream/client_options.hpp>

#include <chrono>

namespace blubridge::upstream {

/// The wait before retry `retry` (1 for the first) under `policy`: "full jitter"
/// exponential back-off, `unit` × min(backoff_max, backoff_base × 2^(retry−1)), where `unit`
/// is a uniform random number in [0, 1) (passed in, so tests choose it).
std::chrono::milliseconds backoff_delay(const retry_policy& policy, unsigned retry, double unit);

/// `backoff_delay` with a random `unit` from a per-thread generator.
std::chrono::milliseconds jittered_backoff(const retry_policy& policy, unsigned retry);

}  // namespace blubridge::upstream
