#pragma once
#include <blubridge/auth/failure_policy.hpp>

#include <boost/asio/ip/address.hpp>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <list>
#include <memory>
#include <mutex>
#include <unordered_map>
#include <vector>

namespace blubridge::auth {

/// Counts failed authentications per client address and locks out an address that fails
/// too often, so passwords cannot be guessed at line rate and the password check (PBKDF2,
/// slow on purpose) cannot be flooded from one address.
///
/// An IPv4 address is one client; an IPv6 address counts with its whole /64 (one host can
/// pick any address in its /64); an IPv4-mapped IPv6 address is its IPv4 address.
///
/// After `failures_before_delay` failures within `failure_window`, the address is locked
/// out for `lockout`: every attempt from it is refused without being checked — the right
/// password too, or a lucky guess would still get through. Each failure after that
/// doubles the lockout, up to `max_lockout`. A success resets the address. Guesses
/// still being checked count against the allowance, so a burst of parallel requests
/// cannot slip past the lockout either.
///
/// A guess is one set of credentials, told apart by a fingerprint the caller gives (a
/// keyed hash, never the credentials themselves): parallel attempts with the same
/// credentials are one guess in flight and, if wrong, one failure. So a client that opens
/// many connections at once with its right password is not locked out before the first
/// check ends, and resending one wrong password in parallel gains an attacker nothing.
/// Thread-safe.
class failure_limiter {
public:
    using clock_type = std::chrono::steady_clock;
    using clock_function = std::function<clock_type::time_point()>;

    class attempt;

    /// `now` is the clock (injected by tests); default `steady_clock::now`.
    explicit failure_limiter(failure_policy policy, clock_function now = clock_type::now);

    /// Asks to check the credentials whose fingerprint is `guess` from `from`. The answer is
    /// either admitted (report its outcome on it) or refused, with the seconds to wait (for
    /// `Retry-After`, at least 1).
    attempt begin(const boost::asio::ip::address& from, std::uint64_t guess);

    /// Whether nothing is held against `from`: no failure counted, no lockout, no check in
    /// flight. A request whose credentials are already known good needs no attempt then
    /// (and its success has nothing to reset).
    bool quiet(const boost::asio::ip::address& from) const;

    /// Addresses tracked right now (for tests and monitoring).
    std::size_t tracked() const;

    const failure_policy& policy() const { return policy_; }

private:
    struct key {
        bool v6 = false;
        std::uint64_t bits = 0;  ///< the IPv4 address, or the IPv6 /64 prefix
        bool operator==(const key&) const = default;
    };
    struct key_hash {
        std::size_t operator()(const key& k) const noexcept {
            return std::hash<std::uint64_t>{}(k.bits) ^ static_cast<std::size_t>(k.v6);
        }
    };
    using order = std::list<key>;  ///< least recently active first

    /// Admitted attempts with the same credentials, not all reported yet.
    struct guess_in_flight {
        std::uint64_t fingerprint = 0;
        unsigned attempts = 0;
        bool failure_counted = false;  ///< one failure per guess, however many attempts
    };

    struct entry {
        std::uint64_t serial = 0;  ///< tells an attempt whether its entry was forgotten since
        unsigned failures = 0;     ///< in the current window
        unsigned lockouts = 0;     ///< since the address was last reset
        std::vector<guess_in_flight> in_flight;  ///< at most the allowance: a short list
        clock_type::time_point window_start{};
        clock_type::time_point locked_until{};
        order::iterator position;
    };

    static key key_of(const boost::asio::ip::address& address);
    bool stale(const entry& e, clock_type::time_point now) const;
    void forget(std::unordered_map<key, entry, key_hash>::iterator it);
    entry& touch(const key& k, clock_type::time_point now);
    void lock(entry& e, clock_type::time_point now);
    /// Ends one attempt of `guess`; true if it was the first of its guess to fail.
    bool release(entry& e, std::uint64_t guess, bool failed);
    void finish(const key& k, std::uint64_t serial, std::uint64_t guess, bool success);
    void abandon(const key& k, std::uint64_t serial, std::uint64_t guess);

    failure_policy policy_;
    clock_function now_;
    mutable std::mutex mutex_;
    std::unordered_map<key, entry, key_hash> entries_;
    order order_;
    std::uint64_t next_serial_ = 1;

public:
    /// The answer to `begin`. An admitted attempt destroyed unreported (the request was
    /// abandoned, or carried no credentials) counts as neither success nor failure.
    class attempt {
    public:
        attempt(attempt&& other) noexcept;
        attempt& operator=(attempt&&) = delete;
        attempt(const attempt&) = delete;
        ~attempt();

        bool admitted() const { return admitted_; }
        /// For a refused attempt: how long until the address may try again (at least 1 s).
        std::chrono::seconds retry_after() const { return retry_after_; }

        /// The credentials were right: the address starts afresh.
        void succeeded() { report(true); }
        /// The credentials were wrong: counts towards a lockout, or locks again.
        void failed() { report(false); }

    private:
        friend class failure_limiter;
        attempt(failure_limiter* limiter, key k, std::uint64_t serial, std::uint64_t guess)
            : limiter_(limiter), key_(k), serial_(serial), guess_(guess), admitted_(true) {}
        explicit attempt(std::chrono::seconds retry_after) : retry_after_(retry_after) {}
        void report(bool success);

        failure_limiter* limiter_ = nullptr;  ///< null: nothing to report (refused, or limiter off)
        key key_{};
        std::uint64_t serial_ = 0;
        std::uint64_t guess_ = 0;
        bool admitted_ = false;
        std::chrono::seconds retry_after_{0};
    };
};

}  // namespace blubridge::auth
