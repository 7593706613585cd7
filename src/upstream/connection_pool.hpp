#pragma once
#include "connection.hpp"

#include <blubridge/upstream/client_options.hpp>

#include <boost/asio/steady_timer.hpp>

#include <deque>
#include <memory>
#include <mutex>
#include <vector>

namespace blubridge::upstream {

class connection_pool;

/// Exclusive use of one pooled connection; hands it back when destroyed. The connection
/// is kept for reuse only if `keep()` was called (a clean, keep-alive exchange).
class lease {
public:
    lease(std::shared_ptr<connection_pool> pool, std::unique_ptr<connection> conn, bool reused);
    lease(lease&&) noexcept = default;
    lease& operator=(lease&&) noexcept = default;
    ~lease();

    connection& conn() { return *conn_; }
    /// Whether this connection already carried an earlier request.
    bool reused() const { return reused_; }
    void keep() { keep_ = true; }

private:
    std::shared_ptr<connection_pool> pool_;
    std::unique_ptr<connection> conn_;
    bool reused_ = false;
    bool keep_ = false;
};

/// Idle keep-alive connections to one host, at most `max_connections` open, and a
/// bounded queue of requests waiting for one. Thread-safe.
class connection_pool : public std::enable_shared_from_this<connection_pool> {
public:
    connection_pool(net::any_io_executor executor, upstream_target target,
                    std::shared_ptr<boost::asio::ssl::context> tls, client_options options);

    /// An idle live connection, a new one (connected within the connect timeout), or —
    /// when all are busy — the first one freed within the request timeout; never later than
    /// `deadline` (`error::timed_out`). Must be awaited from a strand (every session runs
    /// on one), which is what makes the wake-up of queued requests race-free.
    net::awaitable<boost::system::result<lease>> acquire(std::chrono::steady_clock::time_point deadline);

    /// Connections in use and idle, and requests waiting, right now.
    pool_stats stats();

    const upstream_target& target() const { return target_; }
    /// The execution context its connections live on.
    net::execution_context& context() const { return net::query(executor_, net::execution::context); }
    const client_options& options() const { return options_; }

private:
    friend class lease;
    void release(std::unique_ptr<connection> conn, bool keep);
    std::unique_ptr<connection> take_idle();
    void wake_one_waiter();

    net::any_io_executor executor_;
    const upstream_target target_;
    std::shared_ptr<boost::asio::ssl::context> tls_;
    const client_options options_;

    std::mutex mutex_;
    std::vector<std::unique_ptr<connection>> idle_;
    std::size_t open_ = 0;  // idle + leased + being opened
    std::deque<std::shared_ptr<boost::asio::steady_timer>> waiters_;
};

}  // namespace blubridge::upstream
