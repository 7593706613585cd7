#include "circuit_breaker.hpp"

#include <algorithm>

namespace blubridge::upstream {

circuit_breaker::circuit_breaker(const breaker_policy& policy) : policy_(policy) {}

void circuit_breaker::open(clock::time_point now) {
    state_ = state::open;
    opened_at_ = now;
    probe_out_ = false;
    failures_ = 0;
}

circuit_breaker::admission circuit_breaker::admit(clock::time_point now) {
    std::lock_guard lock(mutex_);
    switch (state_) {
    case state::closed: return admission::admitted;
    case state::open:
        if (now - opened_at_ < policy_.open_interval) return admission::refused;
        state_ = state::half_open;
        probe_out_ = true;
        return admission::probe;
    case state::half_open:
        if (probe_out_) return admission::refused;
        probe_out_ = true;
        return admission::probe;
    }
    return admission::refused;
}

void circuit_breaker::record(admission a, bool success, clock::time_point now) {
    std::lock_guard lock(mutex_);
    if (a == admission::probe) {
        if (state_ != state::half_open) return;
        if (success) {
            state_ = state::closed;
            failures_ = 0;
            probe_out_ = false;
        } else {
            open(now);
        }
        return;
    }
    if (a != admission::admitted || state_ != state::closed || policy_.failure_threshold == 0) return;
    if (success) {
        failures_ = 0;
    } else if (++failures_ >= policy_.failure_threshold) {
        open(now);
    }
}

void circuit_breaker::abandon(admission a) {
    std::lock_guard lock(mutex_);
    if (a == admission::probe && state_ == state::half_open) probe_out_ = false;
}

std::chrono::seconds circuit_breaker::retry_after(clock::time_point now) const {
    std::lock_guard lock(mutex_);
    if (state_ == state::closed) return std::chrono::seconds(0);
    if (state_ == state::half_open) return std::chrono::seconds(1);  // the probe decides soon
    const auto left = opened_at_ + policy_.open_interval - now;
    const auto whole = std::chrono::ceil<std::chrono::seconds>(left);
    return std::max(whole, std::chrono::seconds(1));
}

circuit_breaker::state circuit_breaker::current() const {
    std::lock_guard lock(mutex_);
    return state_;
}

}  // namespace blubridge::upstream
