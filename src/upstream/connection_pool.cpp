#include "connection_pool.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <algorithm>

namespace blubridge::upstream {

lease::lease(std::shared_ptr<connection_pool> pool, std::unique_ptr<connection> conn, bool reused)
    : pool_(std::move(pool)), conn_(std::move(conn)), reused_(reused) {}

lease::~lease() {
    if (pool_ && conn_) pool_->release(std::move(conn_), keep_);
}

connection_pool::connection_pool(net::any_io_executor executor, upstream_target target,
                                 std::shared_ptr<boost::asio::ssl::context> tls,
                                 client_options options)
    : executor_(std::move(executor)),
      target_(std::move(target)),
      tls_(std::move(tls)),
      options_(std::move(options)) {}

// Newest idle connection that is still alive; dead or stale ones are dropped on the way.
std::unique_ptr<connection> connection_pool::take_idle() {
    const auto now = std::chrono::steady_clock::now();
    while (!idle_.empty()) {
        auto c = std::move(idle_.back());
        idle_.pop_back();
        if (now - c->idle_since < options_.idle_timeout && !c->peer_closed()) return c;
        --open_;
    }
    return nullptr;
}

net::awaitable<boost::system::result<lease>> connection_pool::acquire(
    std::chrono::steady_clock::time_point deadline) {
    const auto give_up_at = std::min(std::chrono::steady_clock::now() + options_.request_timeout, deadline);
    // The wake-up timer lives on the caller's strand, and wake_one_waiter posts its cancel
    // there too: the wait is always started before a cancel can run, so none is lost.
    const auto caller = co_await net::this_coro::executor;
    for (;;) {
        std::shared_ptr<boost::asio::steady_timer> wait;
        {
            std::lock_guard lock(mutex_);
            if (auto c = take_idle()) co_return lease(shared_from_this(), std::move(c), true);
            if (open_ < options_.max_connections) {
                ++open_;
            } else if (waiters_.size() >= options_.max_waiting) {
                co_return make_error_code(error::pool_exhausted);
            } else {
                wait = std::make_shared<boost::asio::steady_timer>(caller, give_up_at);
                waiters_.push_back(wait);
            }
        }

        if (!wait) {
            const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(
                deadline - std::chrono::steady_clock::now());
            boost::system::result<std::unique_ptr<connection>> opened = make_error_code(error::timed_out);
            if (left.count() > 0) {
                // No strand of its own: a leased connection is used by one coroutine at a
                // time, and its completions (timeouts too) run on that caller's executor. A
                // strand here only cost a heap allocation per I/O operation (a strand does not
                // fit any_io_executor's inline storage when work is tracked).
                opened = co_await connection::open(executor_, target_, tls_.get(),
                                                   std::min(options_.connect_timeout, left));
            }
            if (opened) co_return lease(shared_from_this(), std::move(*opened), false);
            {
                std::lock_guard lock(mutex_);
                --open_;
                wake_one_waiter();
            }
            co_return opened.error();
        }

        // Cancelled means a connection or a slot was freed: try again. Expiry means the
        // request's time ran out while queued.
        auto [ec] = co_await wait->async_wait(net::as_tuple(net::use_awaitable));
        if (!ec) {
            std::lock_guard lock(mutex_);
            std::erase(waiters_, wait);
            co_return make_error_code(error::timed_out);
        }
    }
}

pool_stats connection_pool::stats() {
    std::lock_guard lock(mutex_);
    return {.in_use = open_ - idle_.size(), .idle = idle_.size(), .waiting = waiters_.size()};
}

void connection_pool::release(std::unique_ptr<connection> conn, bool keep) {
    std::lock_guard lock(mutex_);
    if (keep) {
        conn->idle_since = std::chrono::steady_clock::now();
        idle_.push_back(std::move(conn));
    } else {
        --open_;
    }
    wake_one_waiter();
}

// Called with mutex_ held.
void connection_pool::wake_one_waiter() {
    if (waiters_.empty()) return;
    auto timer = std::move(waiters_.front());
    waiters_.pop_front();
    // A timer is not thread-safe: cancel it on its own executor.
    net::post(timer->get_executor(), [timer] { timer->cancel(); });
}

}  // namespace blubridge::upstream
