#pragma once
#include <blubridge/http/connection_info.hpp>
#include <blubridge/http/handler.hpp>
#include <blubridge/http/server_limits.hpp>
#include <blubridge/net.hpp>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/parser.hpp>

#include <functional>
#include <memory>
#include <optional>

namespace blubridge::http_server {

namespace detail {
struct refusal;
struct read_verdict;
}  // namespace detail

/// One client connection: reads requests one after another (pipelined requests are
/// therefore answered in order), hands each to the handler and writes the reply.
///
/// Runs as a coroutine on the socket's strand. Each request is read through a fresh
/// `request_parser` carrying the configured header and body limits, and every read and
/// write gets its own deadline: idle wait, header, body, write.
///
/// A request whose framing is malformed or ambiguous (see `detail::header_screen` and
/// `detail::check_framing`: bare CR/LF, obs-fold, control bytes, a Transfer-Encoding other
/// than `chunked`, Transfer-Encoding with Content-Length, several Content-Lengths, no Host,
/// a non-origin-form target, chunked trailers) is answered with the handler's
/// `protocol_error` (400, 413, 414, 431 or 505) and the connection is closed: nothing
/// sent after it is read as a request.
class session : public std::enable_shared_from_this<session> {
public:
    using on_close = std::function<void(session*)>;

    session(net::ip::tcp::socket socket, std::shared_ptr<handler> app,
            const server_limits& limits, on_close closed);

    /// Starts serving on the socket's executor.
    void start();

    /// Asks the session to finish: an idle connection closes at once, a busy one after
    /// writing its current response (sent with `Connection: close`). Thread-safe.
    void stop();

    /// Closes the socket now, whatever the session is doing. Thread-safe.
    void abort();

private:
    enum class read_outcome { complete, refused, closed };

    net::awaitable<void> run();
    net::awaitable<bool> wait_for_request();
    net::awaitable<read_outcome> read_request();
    net::awaitable<read_outcome> read_header();
    net::awaitable<read_outcome> read_body();
    net::awaitable<read_outcome> conclude(const detail::read_verdict& verdict);
    net::awaitable<void> refuse(const detail::refusal& why, unsigned version);
    net::awaitable<void> linger();
    net::awaitable<bool> write(response& res);
    void close();

    const connection_info connection_;
    beast::tcp_stream stream_;
    beast::flat_buffer buffer_;
    std::optional<http::request_parser<http::string_body>> parser_;
    std::shared_ptr<handler> app_;
    const server_limits& limits_;
    on_close closed_;
    bool idle_ = true;
    bool stopping_ = false;
};

}  // namespace blubridge::http_server
