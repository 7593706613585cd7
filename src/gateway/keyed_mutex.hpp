#pragma once
#include <blubridge/net.hpp>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/thread_pool.hpp>

#include <cstdint>
#include <deque>
#include <functional>
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
        guard(guard&& other) noexcept
            : owner_(std::move(other.owner_)), key_(other.key_), also_(std::move(other.also_)) {}
        guard& operator=(guard&& other) noexcept;
        ~guard() { release(); }
        void release();
        /// Run at release, before the key passes on (a lock taken beside this one).
        void also_release(std::function<void()> release) { also_ = std::move(release); }

    private:
        std::shared_ptr<keyed_mutex> owner_;
        std::uint64_t key_ = 0;
        std::function<void()> also_;
    };

    net::awaitable<guard> lock(std::uint64_t key);

    /// Keys currently held or waited for (for tests and metrics).
    std::size_t active_keys() const;

    /// With state shared by several gateways, the calls that wait for its database run
    /// here, off the I/O threads: a pool of two threads, started on first use (a gateway
    /// alone never starts it). Bounded: a slow database queues calls, never I/O threads.
    net::any_io_executor blocking_executor();
    /// The same pool, one call at a time in the order asked: the shared write locks, whose
    /// unlock must follow its lock.
    net::any_io_executor lock_order();

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
    void start_blocking();  // under mutex_
    std::unique_ptr<net::thread_pool> blocking_;  // under mutex_
    net::any_io_executor lock_order_;             // a strand of blocking_, under mutex_
};

}  // namespace blubridge::gateway
