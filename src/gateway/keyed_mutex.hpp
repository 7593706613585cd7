#pragma once
#include <blubridge/net.hpp>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>

#include <cstdint>
#include <deque>
#include <memory>
#include <mutex>
#include <unordered_map>

namespace blubridge::gateway {

/// Serialises asynchronous work per key (a customer id): the read-merge-write of one
/// customer's PUT never interleaves with another through this gateway, so neither
/// update loses the other's fields. Different keys never wait for each other.
///
/// `lock` must be awaited from a strand (every session runs on one): the wake-up timer
/// lives there, which makes hand-over race-free. Thread-safe.
class keyed_mutex : public std::enable_shared_from_this<keyed_mutex> {
public:
    /// Held while alive; releasing hands the key to the next waiter in arrival order.
    class guard {
    public:
        guard() = default;
        guard(std::shared_ptr<keyed_mutex> owner, std::uint64_t key) : owner_(std::move(owner)), key_(key) {}
        guard(guard&& other) noexcept : owner_(std::move(other.owner_)), key_(other.key_) {}
        guard& operator=(guard&& other) noexcept;
        ~guard() { release(); }
        void release();

    private:
        std::shared_ptr<keyed_mutex> owner_;
        std::uint64_t key_ = 0;
    };

    net::awaitable<guard> lock(std::uint64_t key);

    /// Keys currently held or waited for (for tests and metrics).
    std::size_t active_keys() const;

private:
    struct waiter {
        std::shared_ptr<net::steady_timer> timer;
        bool granted = false;
    };
    struct slot {
        bool held = false;
        std::deque<std::shared_ptr<waiter>> queue;
    };

    void unlock(std::uint64_t key);

    mutable std::mutex mutex_;
    std::unordered_map<std::uint64_t, slot> slots_;
};

}  // namespace blubridge::gateway
