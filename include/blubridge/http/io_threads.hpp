#pragma once
#include <blubridge/net.hpp>

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>

#include <atomic>
#include <memory>
#include <vector>

namespace blubridge::http_server {

/// One `io_context` per I/O thread. A connection is handed to one of them when it is
/// accepted and stays there: its requests, their upstream calls (each context has its own
/// upstream pool) and their answers all run on the thread that read them, so the request
/// path needs no strand and no wake-up of another thread.
///
/// Context 0 is the caller's (`main`): background work (directory refresh, callbacks,
/// signals, the acceptor) runs there, beside its share of connections.
class io_threads {
public:
    /// `main` plus `threads - 1` contexts of its own (at least one in all).
    io_threads(net::io_context& main, unsigned threads);
    ~io_threads();
    io_threads(const io_threads&) = delete;
    io_threads& operator=(const io_threads&) = delete;

    std::size_t size() const { return contexts_.size(); }
    net::io_context& at(std::size_t i) { return *contexts_[i]; }
    /// The context for the next connection, in turn. Thread-safe.
    net::io_context& next();

    /// An executor of each context, in order (to build one upstream pool per context).
    std::vector<net::any_io_executor> executors() const;

    /// Runs every context, `main` on the calling thread, until each runs out of work
    /// after `release` (or is stopped). The extra contexts are kept alive until then even
    /// while they hold no connection.
    void run();
    /// Lets the extra contexts end once their work is done (at shutdown). Thread-safe.
    void release();
    /// Stops every context at once (the drain deadline passed). Thread-safe.
    void stop();

private:
    using work_guard = net::executor_work_guard<net::io_context::executor_type>;
    std::vector<std::unique_ptr<net::io_context>> owned_;
    std::vector<net::io_context*> contexts_;
    std::vector<work_guard> guards_;
    std::atomic<std::size_t> turn_{0};
};

}  // namespace blubridge::http_server
