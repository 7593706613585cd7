#pragma once
#include "upstream_target.hpp"

#include <blubridge/net.hpp>
#include <blubridge/upstream/client.hpp>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>

#include <chrono>
#include <memory>

namespace blubridge::upstream {

/// One keep-alive connection to the upstream, plain or TLS. Used by one request at a
/// time; after any error it must be discarded.
class connection {
public:
    /// Resolves, connects and (for https) handshakes with SNI and host name verification,
    /// all within `timeout`.
    static net::awaitable<boost::system::result<std::unique_ptr<connection>>> open(
        net::any_io_executor executor, const upstream_target& target,
        boost::asio::ssl::context* tls, std::chrono::milliseconds timeout);

    /// Writes `req` and reads the whole response within `timeout`.
    net::awaitable<boost::system::error_code> exchange(request& req, response& res,
                                                        std::chrono::milliseconds timeout,
                                                        std::uint64_t body_limit);

    /// True when the peer has closed (or written unrequested bytes on) this idle
    /// connection, so it cannot carry another request.
    bool peer_closed();

    std::chrono::steady_clock::time_point idle_since;

private:
    explicit connection(net::any_io_executor executor);
    beast::tcp_stream& tcp();

    std::unique_ptr<beast::tcp_stream> plain_;
    std::unique_ptr<beast::ssl_stream<beast::tcp_stream>> tls_;
    beast::flat_buffer buffer_;
};

}  // namespace blubridge::upstream
