#pragma once
#include <chrono>
#include <cstddef>

namespace blubridge::auth {

/// How failed authentications slow an address down (`auth:` in the configuration).
struct failure_policy {
    /// Failures an address may make within `failure_window` before it is locked out.
    /// Default 5; 0 turns the limiter off.
    unsigned failures_before_delay = 5;
    /// The window the failures are counted in, from the first of them. Default 1 min.
    std::chrono::milliseconds failure_window{std::chrono::minutes(1)};
    /// The first lockout; each failure after a lockout locks the address again for twice
    /// as long as the last time. Default 1 s.
    std::chrono::milliseconds lockout{std::chrono::seconds(1)};
    /// The longest lockout; also how long an address that was locked out stays
    /// remembered after its lockout ended. Default 15 min.
    std::chrono::milliseconds max_lockout{std::chrono::minutes(15)};
    /// Addresses tracked at once; when full, the least recently active is forgotten.
    /// About 150 bytes each, so the default 100,000 is about 15 MiB at most.
    std::size_t max_tracked = 100'000;

    bool operator==(const failure_policy&) const = default;
};

}  // namespace blubridge::auth
