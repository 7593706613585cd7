#include <blubridge/auth/failure_limiter.hpp>

#include <algorithm>
#include <utility>

namespace blubridge::auth {

namespace {

// Forgetting stale entries as a side effect of each call keeps memory proportional to
// the addresses that are actually failing; a few per call keeps each call O(1).
constexpr int prune_per_call = 2;
// Doubling stops long before this; the bound only keeps the counter from wrapping.
constexpr unsigned max_lockouts_counted = 64;

std::chrono::seconds whole_seconds_until(failure_limiter::clock_type::duration left) {
    const auto s = std::chrono::ceil<std::chrono::seconds>(left);
    return std::max(s, std::chrono::seconds(1));
}

}  // namespace

failure_limiter::failure_limiter(failure_policy policy, clock_function now)
    : policy_(policy), now_(std::move(now)) {
    policy_.max_tracked = std::max<std::size_t>(policy_.max_tracked, 1);
    policy_.max_lockout = std::max(policy_.max_lockout, policy_.lockout);
}

failure_limiter::key failure_limiter::key_of(const boost::asio::ip::address& address) {
    if (address.is_v4()) return {false, address.to_v4().to_uint()};
    const auto v6 = address.to_v6();
    if (v6.is_v4_mapped()) return {false, v6.to_v4().to_uint()};  // a dual-stack socket's IPv4 client
    const auto bytes = v6.to_bytes();
    std::uint64_t prefix = 0;
    for (std::size_t i = 0; i < 8; ++i) prefix = (prefix << 8) | bytes[i];
    return {true, prefix};
}

bool failure_limiter::stale(const entry& e, clock_type::time_point now) const {
    if (!e.in_flight.empty()) return false;
    if (e.lockouts == 0) return e.failures == 0 || now - e.window_start >= policy_.failure_window;
    return now - e.locked_until >= policy_.max_lockout;
}

void failure_limiter::forget(std::unordered_map<key, entry, key_hash>::iterator it) {
    order_.erase(it->second.position);
    entries_.erase(it);
}

failure_limiter::entry& failure_limiter::touch(const key& k, clock_type::time_point now) {
    auto it = entries_.find(k);
    if (it != entries_.end() && stale(it->second, now)) {
        forget(it);
        it = entries_.end();
    }
    if (it != entries_.end()) {
        order_.splice(order_.end(), order_, it->second.position);
        return it->second;
    }
    if (entries_.size() >= policy_.max_tracked) forget(entries_.find(order_.front()));
    entry& e = entries_[k];
    e.serial = next_serial_++;
    e.position = order_.insert(order_.end(), k);
    return e;
}

void failure_limiter::lock(entry& e, clock_type::time_point now) {
    clock_type::duration d = policy_.lockout;
    for (unsigned i = 0; i < e.lockouts && d < policy_.max_lockout; ++i) d *= 2;
    e.locked_until = now + std::min<clock_type::duration>(d, policy_.max_lockout);
    e.lockouts = std::min(e.lockouts + 1, max_lockouts_counted);
    e.failures = 0;
}

failure_limiter::attempt failure_limiter::begin(const boost::asio::ip::address& from, std::uint64_t guess) {
    if (policy_.failures_before_delay == 0) return attempt(nullptr, {}, 0, 0);
    const auto k = key_of(from);
    std::lock_guard guard(mutex_);
    const auto now = now_();
    for (int i = 0; i < prune_per_call && !order_.empty(); ++i) {
        const auto oldest = entries_.find(order_.front());
        if (!stale(oldest->second, now)) break;
        forget(oldest);
    }

    entry& e = touch(k, now);
    if (now < e.locked_until) return attempt(whole_seconds_until(e.locked_until - now));
    const auto same = std::find_if(e.in_flight.begin(), e.in_flight.end(),
                                   [&](const guess_in_flight& g) { return g.fingerprint == guess; });
    if (same != e.in_flight.end()) {  // the same credentials again: no new guess
        ++same->attempts;
        return attempt(this, k, e.serial, guess);
    }
    // What is still being checked counts as failed until it reports: otherwise a burst of
    // parallel guesses would all be checked before the first failure locked the address.
    const bool window_over = e.failures == 0 || now - e.window_start >= policy_.failure_window;
    const unsigned allowance =
        e.lockouts != 0 ? 1u : policy_.failures_before_delay - (window_over ? 0u : e.failures);
    if (e.in_flight.size() >= allowance) return attempt(std::chrono::seconds(1));
    e.in_flight.push_back({guess, 1, false});
    return attempt(this, k, e.serial, guess);
}

bool failure_limiter::release(entry& e, std::uint64_t guess, bool failed) {
    const auto g = std::find_if(e.in_flight.begin(), e.in_flight.end(),
                                [&](const guess_in_flight& x) { return x.fingerprint == guess; });
    if (g == e.in_flight.end()) return failed;
    const bool first_failure = failed && !g->failure_counted;
    if (failed) g->failure_counted = true;
    if (--g->attempts == 0) e.in_flight.erase(g);
    return first_failure;
}

void failure_limiter::finish(const key& k, std::uint64_t serial, std::uint64_t guess, bool success) {
    std::lock_guard guard(mutex_);
    auto it = entries_.find(k);
    // The entry may have been evicted (and maybe made again) while this attempt ran.
    const bool ours = it != entries_.end() && it->second.serial == serial;
    const bool counts = ours ? release(it->second, guess, !success) : !success;
    if (success) {
        if (it != entries_.end()) forget(it);
        return;
    }
    if (!counts) return;  // this guess already failed once
    const auto now = now_();
    entry& e = touch(k, now);
    if (e.lockouts != 0) {
        // Past a lockout, every failure locks again, for longer; a failure reported while
        // locked (checked in parallel with the one that locked) adds nothing.
        if (now >= e.locked_until) lock(e, now);
        return;
    }
    if (e.failures == 0 || now - e.window_start >= policy_.failure_window) {
        e.failures = 0;
        e.window_start = now;
    }
    if (++e.failures >= policy_.failures_before_delay) lock(e, now);
}

bool failure_limiter::quiet(const boost::asio::ip::address& from) const {
    if (policy_.failures_before_delay == 0) return true;
    const auto k = key_of(from);
    std::lock_guard guard(mutex_);
    return !entries_.contains(k);
}

std::size_t failure_limiter::tracked() const {
    std::lock_guard guard(mutex_);
    return entries_.size();
}

void failure_limiter::abandon(const key& k, std::uint64_t serial, std::uint64_t guess) {
    std::lock_guard guard(mutex_);
    auto it = entries_.find(k);
    if (it != entries_.end() && it->second.serial == serial) (void)release(it->second, guess, false);
}

failure_limiter::attempt::attempt(attempt&& other) noexcept
    : limiter_(std::exchange(other.limiter_, nullptr)),
      key_(other.key_),
      serial_(other.serial_),
      guess_(other.guess_),
      admitted_(other.admitted_),
      retry_after_(other.retry_after_) {}

failure_limiter::attempt::~attempt() {
    // Unreported: release the slot without counting anything.
    if (limiter_ != nullptr) limiter_->abandon(key_, serial_, guess_);
}

void failure_limiter::attempt::report(bool success) {
    if (limiter_ == nullptr) return;
    std::exchange(limiter_, nullptr)->finish(key_, serial_, guess_, success);
}

}  // namespace blubridge::auth
