#pragma once
#include <blubridge/upstream/client_options.hpp>

#include <chrono>
#include <mutex>

namespace blubridge::upstream {

/// Stops requests to a host that keeps failing (see `breaker_policy`): closed → open after
/// `failure_threshold` consecutive failures → after `open_interval` half-open, one probe
/// out → closed on its success, open again on its failure.
///
/// Every admitted attempt must be settled exactly once (`record` or `abandon`). Outcomes of
/// attempts admitted before the breaker opened are ignored while it is open or half-open:
/// only the probe decides. Time is passed in, so tests drive it without sleeping.
/// Thread-safe.
class circuit_breaker {
public:
    using clock = std::chrono::steady_clock;

    enum class state { closed, open, half_open };

    /// What `admit` decided for one attempt.
    enum class admission {
        refused,   ///< open (or the probe is out): do not send
        admitted,  ///< closed: send
        probe,     ///< the one attempt half-open lets through: send
    };

    explicit circuit_breaker(const breaker_policy& policy);

    admission admit(clock::time_point now);

    /// The outcome of an attempt `admit` let through.
    void record(admission a, bool success, clock::time_point now);

    /// An admitted attempt that ended with no verdict on the host (cancelled, or refused by
    /// the local pool): a probe's slot is freed so the next attempt probes instead.
    void abandon(admission a);

    /// While attempts are refused: whole seconds (rounded up, at least 1) until the next
    /// probe may go out. 0 when closed.
    std::chrono::seconds retry_after(clock::time_point now) const;

    state current() const;

private:
    void open(clock::time_point now);  // mutex_ held

    const breaker_policy policy_;
    mutable std::mutex mutex_;
    state state_ = state::closed;
    unsigned failures_ = 0;  // consecutive, while closed
    clock::time_point opened_at_{};
    bool probe_out_ = false;
};

}  // namespace blubridge::upstream
