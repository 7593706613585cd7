#pragma once
#include <blubridge/http/handler.hpp>
#include <blubridge/http/server_limits.hpp>
#include <blubridge/net.hpp>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/steady_timer.hpp>

#include <memory>
#include <mutex>
#include <unordered_map>

namespace boost::asio::ssl {
class context;
}  // namespace boost::asio::ssl

namespace blubridge::http_server {

class session;
class io_threads;

/// Accepts connections and keeps the set of live sessions, so a shutdown can reach
/// every one of them and the connection limit can be enforced.
class listener : public std::enable_shared_from_this<listener> {
public:
    listener(net::io_context& ioc, std::shared_ptr<handler> app, server_limits limits);
    /// Sessions spread over `threads`' contexts, one each, without strands.
    listener(io_threads& threads, std::shared_ptr<handler> app, server_limits limits);

    boost::system::error_code listen(const net::ip::tcp::endpoint& endpoint);
    boost::system::error_code adopt(int native_socket);
    net::ip::tcp::endpoint local_endpoint() const;
    void start();
    void shutdown();
    std::size_t connection_count() const;
    std::size_t connection_limit() const;
    void replace_tls(std::shared_ptr<net::ssl::context> tls);

private:
    net::awaitable<void> accept_loop();
    void admit(net::ip::tcp::socket socket);
    net::awaitable<void> turn_away(net::ip::tcp::socket socket, std::shared_ptr<net::ssl::context> tls);
    void on_session_closed(session* s);
    void on_drain_deadline();

    net::io_context& ioc_;
    io_threads* threads_ = nullptr;  // null: every session on a strand of ioc_
    net::ip::tcp::acceptor acceptor_;
    std::shared_ptr<handler> app_;
    const server_limits limits_;
    const std::size_t max_connections_;  // limits_.max_connections within the descriptor limit
    net::steady_timer drain_timer_;

    mutable std::mutex mutex_;
    std::unordered_map<session*, std::weak_ptr<session>> sessions_;
    std::shared_ptr<net::ssl::context> tls_;  // for connections accepted from now on; null: plain HTTP
    std::size_t turning_away_ = 0;
    bool stopping_ = false;
};

}  // namespace blubridge::http_server
