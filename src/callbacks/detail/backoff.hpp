#pragma once
#include <blubridge/config/gateway_config.hpp>

#include <algorithm>
#include <chrono>

namespace blubridge::callbacks::detail {

/// How long after its `attempts`-th failure (0 = the first) a delivery waits:
/// retry_initial doubled per earlier failure, never more than retry_max. Never overflows.
inline std::chrono::milliseconds retry_delay(const config::callback_settings& s, unsigned attempts) {
    auto delay = s.retry_initial;
    for (unsigned i = 0; i < attempts && i < 64; ++i) {
        if (delay > s.retry_max / 2) return s.retry_max;  // doubling would pass it (or overflow)
        delay *= 2;
    }
    return std::min(delay, s.retry_max);
}

}  // namespace blubridge::callbacks::detail
