#pragma once
#include <blubridge/http/handler.hpp>
#include <blubridge/http/server_limits.hpp>
#include <blubridge/net.hpp>

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>

#include <chrono>
#include <functional>
#include <memory>

namespace boost::asio::ssl {
class context;
}  // namespace boost::asio::ssl

namespace blubridge::http_server {

/// One client connection: reads requests one after another (pipelined requests are
/// therefore answered in order), hands each to the handler and writes the reply.
///
/// Runs as a coroutine on the socket's strand, over plain TCP or over TLS (see
/// `make_session`). Each request is read through a fresh `request_parser` carrying the
/// configured header and body limits, and every read and write gets its own deadline:
/// TLS handshake and header (both `header_timeout`), idle wait, body, write.
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

    virtual ~session() = default;

    /// Starts serving on the socket's executor.
    virtual void start() = 0;

    /// Asks the session to finish: an idle connection (or one still in its TLS handshake)
    /// closes at once, a busy one after writing its current response (sent with
    /// `Connection: close`). Thread-safe.
    virtual void stop() = 0;

    /// Closes the socket now, whatever the session is doing. Thread-safe.
    virtual void abort() = 0;
};

/// A session on `socket`. With `tls` the connection is HTTPS: the client's TLS handshake
/// must complete within `header_timeout` of the accept, or the connection is closed; a
/// plain-HTTP request arriving instead is answered with the handler's 400 in plain text
/// and closed. The session keeps `tls` alive as long as it runs. Null `tls`: plain HTTP.
/// `closed` runs once, when the connection has ended.
std::shared_ptr<session> make_session(net::ip::tcp::socket socket, std::shared_ptr<net::ssl::context> tls,
                                      std::shared_ptr<handler> app, const server_limits& limits,
                                      session::on_close closed);

/// Answers a connection the server has no room for with the handler's 503 (after the TLS
/// handshake, when `tls`) and closes it, all within `timeout`.
net::awaitable<void> refuse_over_limit(net::ip::tcp::socket socket, std::shared_ptr<net::ssl::context> tls,
                                       const handler& app, std::chrono::milliseconds timeout);

}  // namespace blubridge::http_server
