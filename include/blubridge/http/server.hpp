#pragma once
#include <blubridge/http/handler.hpp>
#include <blubridge/http/server_limits.hpp>
#include <blubridge/net.hpp>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/system/error_code.hpp>

#include <functional>
#include <memory>

namespace boost::asio::ssl {
class context;
}  // namespace boost::asio::ssl

namespace blubridge::http_server {

class listener;
class io_threads;

/// An HTTP/1.1 server: one listener, one session per connection, one shared handler.
///
/// Keep-alive and pipelining (requests answered in order), per-connection limits from
/// `server_limits`, and a graceful stop that lets in-flight requests finish. Plain HTTP,
/// or HTTPS with a TLS context (`make_tls_context`), replaceable while serving.
class server {
public:
    /// `tls` null: plain HTTP.
    server(net::io_context& ioc, std::shared_ptr<handler> app, server_limits limits,
           std::shared_ptr<net::ssl::context> tls = nullptr);
    /// Each connection served on one of `threads`' contexts (its own thread), in turn; the
    /// listener itself runs on the first. `threads` must outlive the server.
    server(io_threads& threads, std::shared_ptr<handler> app, server_limits limits,
           std::shared_ptr<net::ssl::context> tls = nullptr);
    ~server();
    server(const server&) = delete;
    server& operator=(const server&) = delete;

    /// Binds and listens. Port 0 picks a free port; `local_endpoint` tells which.
    boost::system::error_code listen(const net::ip::tcp::endpoint& endpoint);

    /// Serves on a TCP socket that is already bound and listening (systemd socket
    /// activation passes one), instead of `listen`. Takes ownership of the descriptor on
    /// success; refuses one that is not an IPv4/IPv6 socket in the listening state.
    boost::system::error_code adopt(int native_socket);

    /// The bound address, valid after a successful `listen` or `adopt`.
    net::ip::tcp::endpoint local_endpoint() const;

    /// Starts accepting connections.
    void start();

    /// Stops accepting, closes idle connections and lets busy ones finish their current
    /// request. Connections still open after `drain_timeout` are closed. Thread-safe.
    /// Once every connection is gone the server holds no work, so `ioc.run()` returns.
    void shutdown();

    /// Connections open right now.
    std::size_t connection_count() const;

    /// Connections served at once: `server_limits::max_connections`, lowered when the
    /// process's file-descriptor limit (raised to its hard limit at construction) could
    /// not hold that many plus a reserve for everything else. One more gets 503.
    std::size_t connection_limit() const;

    /// Connections accepted from now on are served with `tls` (a reloaded certificate);
    /// open ones keep the context they began with, which lives until the last of them ends.
    /// Null: plain HTTP from now on. Thread-safe.
    void replace_tls(std::shared_ptr<net::ssl::context> tls);

private:
    std::shared_ptr<listener> listener_;
};

/// Runs `ioc` on `threads` threads (the calling one included) until SIGINT or SIGTERM,
/// then shuts `srv` down gracefully and returns when the drain is over. `on_signal`
/// (optional) runs at the signal too: it stops background work (timers, loops) that
/// would otherwise keep `ioc` running.
///
/// `on_hangup` (optional) runs at each SIGHUP, on a thread of its own rather than an I/O
/// thread (a reload reads files and opens databases), never two at once: a SIGHUP that
/// comes during a run is served after it. None runs once SIGINT or SIGTERM came (the one
/// in progress finishes before this returns). Without it SIGHUP keeps its default action.
void run_until_signal(net::io_context& ioc, server& srv, unsigned threads, std::function<void()> on_signal = {},
                      std::function<void()> on_hangup = {});

/// As above for a server built on `threads` (its first context runs the signal watches):
/// runs every context on its own thread until the drain is over.
void run_until_signal(io_threads& threads, server& srv, std::function<void()> on_signal = {},
                      std::function<void()> on_hangup = {});

}  // namespace blubridge::http_server
