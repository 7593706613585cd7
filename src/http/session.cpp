#include "session.hpp"

#include "detail/header_screen.hpp"
#include "detail/read_steps.hpp"
#include "detail/use_nothrow.hpp"

#include <blubridge/http/flat_write.hpp>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/beast/core/detect_ssl.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>

#include <array>
#include <exception>
#include <optional>
#include <type_traits>
#include <utility>

namespace blubridge::http_server {

using detail::refusal;
using detail::use_nothrow;

namespace {

namespace ssl = net::ssl;
using plain_stream = beast::tcp_stream;
using tls_stream = beast::ssl_stream<beast::tcp_stream>;

template <class Stream>
constexpr bool is_tls = std::is_same_v<Stream, tls_stream>;

// Bytes asked for at each read of a request header.
constexpr std::size_t header_read_size = 4096;

// After a refusal: how long, and how much, the client's further input is read and thrown
// away before the socket closes (see `basic_session::linger`). Also the budget of a TLS
// close (close_notify sent, the client's awaited).
constexpr auto linger_timeout = std::chrono::seconds(2);
constexpr std::size_t linger_bytes = 1024 * 1024;

bool expects_continue(const request& req) {
    return beast::iequals(req[http::field::expect], "100-continue");
}

connection_info describe(const net::ip::tcp::socket& socket) {
    boost::system::error_code ignored;
    return connection_info{socket.remote_endpoint(ignored)};
}

plain_stream& tcp_of(plain_stream& s) { return s; }
plain_stream& tcp_of(tls_stream& s) { return s.next_layer(); }

template <class Stream>
Stream open_stream(net::ip::tcp::socket socket, ssl::context* tls) {
    if constexpr (is_tls<Stream>) {
        return Stream(std::move(socket), *tls);
    } else {
        return Stream(std::move(socket));
    }
}

response closing(response res) {
    res.keep_alive(false);
    res.prepare_payload();
    return res;
}

// Sends `res` on `stream`, under `timeout`, in one write; false if it could not be written.
template <class Stream>
net::awaitable<bool> send(Stream& stream, response& res, std::chrono::milliseconds timeout) {
    tcp_of(stream).expires_after(timeout);
    auto [ec, n] = co_await async_write_flat(stream, res);
    co_return !ec;
}

template <class Stream>
class basic_session final : public session {
public:
    basic_session(net::ip::tcp::socket socket, std::shared_ptr<ssl::context> tls, std::shared_ptr<handler> app,
                  const server_limits& limits, on_close closed)
        : connection_(describe(socket)),
          tls_(std::move(tls)),
          stream_(open_stream<Stream>(std::move(socket), tls_.get())),
          app_(std::move(app)),
          limits_(limits),
          closed_(std::move(closed)) {}

    void start() override {
        net::co_spawn(tcp().get_executor(), [self = shared_from_this(), this] { return run(); }, net::detached);
    }

    void stop() override {
        net::post(tcp().get_executor(), [self = shared_from_this(), this] {
            stopping_ = true;
            if (idle_) tcp().cancel();
        });
    }

    void abort() override {
        net::post(tcp().get_executor(), [self = shared_from_this(), this] { close(); });
    }

private:
    enum class read_outcome { complete, refused, closed };

    plain_stream& tcp() { return tcp_of(stream_); }

    net::awaitable<void> run() {
        // Named: GCC 12 miscompiles `if (co_await open()) co_await serve();` (SIGILL at resume).
        const bool opened = co_await open();
        if (opened) co_await serve();
        co_await end();
        close();
        if (closed_) closed_(this);
    }

    // The steps that differ between TCP and TLS, as overloads chosen by the stream's type:
    // each instantiation compiles only its own.
    net::awaitable<bool> open() { return open_on(stream_); }
    net::awaitable<void> linger() { return linger_after_refusal(stream_); }
    net::awaitable<void> end() { return end_on(stream_); }

    net::awaitable<bool> open_on(plain_stream&) { co_return true; }

    // The TLS handshake, under the header deadline, so a client that connects and never
    // (or slowly) handshakes is closed like one that never sends its header.
    net::awaitable<bool> open_on(tls_stream& stream) {
        tcp().expires_after(limits_.header_timeout);
        auto [ec, hello] = co_await beast::async_detect_ssl(tcp(), buffer_, use_nothrow);
        if (ec || stopping_) co_return false;
        if (!hello) {
            co_await refuse_plain_http();
            co_return false;
        }
        auto [hec, used] = co_await stream.async_handshake(ssl::stream_base::server, buffer_.data(), use_nothrow);
        if (hec) co_return false;
        buffer_.consume(used);
        secured_ = true;
        co_return !stopping_;
    }

    // A plain-HTTP client on the TLS port is told so in plain HTTP, as nginx does; nothing
    // it sent is read as a request.
    net::awaitable<void> refuse_plain_http() {
        response res = closing(app_->protocol_error(http::status::bad_request,
                                                    "this port serves HTTPS only: use https://", 11));
        co_await send(tcp(), res, limits_.write_timeout);
        co_await linger_on(tcp());
    }

    net::awaitable<void> serve() {
        while (!stopping_) {
            if (!co_await wait_for_request()) break;
            const read_outcome got = co_await read_request();
            if (got == read_outcome::refused) co_await linger();
            if (got != read_outcome::complete) break;

            request req = parser_->release();
            const unsigned version = req.version();
            bool keep_alive = req.keep_alive();

            reply r;
            try {
                r = co_await app_->handle(std::move(req), connection_);
            } catch (const std::exception&) {
                // Handlers promise not to throw; if one does, the client still gets an answer.
                r.message = app_->protocol_error(http::status::internal_server_error, "internal error", version);
            }
            if (r.drop_connection) {
                dropped_ = true;
                break;
            }

            keep_alive = keep_alive && !stopping_ && r.message.keep_alive();
            r.message.version(version);
            r.message.keep_alive(keep_alive);
            r.message.prepare_payload();
            if (!co_await write(r.message) || !keep_alive) break;
        }
    }

    // Waits for the first bytes of the next request under the idle timeout, so a quiet
    // keep-alive connection is told apart from a slow header.
    net::awaitable<bool> wait_for_request() {
        if (buffer_.size() > 0) co_return true;  // a pipelined request is already here
        idle_ = true;
        tcp().expires_after(limits_.idle_timeout);
        auto [ec, n] = co_await stream_.async_read_some(buffer_.prepare(header_read_size), use_nothrow);
        idle_ = false;
        if (ec) co_return false;
        buffer_.commit(n);
        co_return !stopping_;
    }

    net::awaitable<read_outcome> read_request() {
        parser_.emplace();
        parser_->header_limit(limits_.header_limit);
        parser_->body_limit(limits_.body_limit);
        const read_outcome header = co_await read_header();
        if (header != read_outcome::complete) co_return header;
        co_return co_await read_body();
    }

    // Collects the whole header under one deadline (a client trickling bytes gets no more
    // time), screening the raw bytes as they come, then parses it in one go and checks that
    // its framing is unambiguous before any of the body is read.
    net::awaitable<read_outcome> read_header() {
        detail::header_screen screen(limits_.request_line_limit, limits_.header_limit);
        tcp().expires_after(limits_.header_timeout);
        for (;;) {
            const auto received = static_cast<const char*>(buffer_.data().data());
            const auto state = screen.scan({received, buffer_.size()});
            if (state == detail::header_screen::state::complete) break;
            if (state == detail::header_screen::state::refused) {
                co_await refuse(screen.why(), 11);
                co_return read_outcome::refused;
            }
            auto [ec, n] = co_await stream_.async_read_some(buffer_.prepare(header_read_size), use_nothrow);
            if (ec) co_return read_outcome::closed;  // timed out or gone: nobody to answer
            buffer_.commit(n);
        }
        // GCC 12 mis-destroys temporaries inside co_await expressions: verdicts are named.
        const detail::read_verdict verdict = detail::parse_header(screen, *parser_, buffer_);
        co_return co_await conclude(verdict);
    }

    net::awaitable<read_outcome> read_body() {
        if (parser_->is_done()) co_return read_outcome::complete;
        const unsigned version = parser_->get().version();
        if (expects_continue(parser_->get())) {
            http::response<http::empty_body> cont{http::status::continue_, version};
            tcp().expires_after(limits_.write_timeout);
            auto [wec, wn] = co_await http::async_write(stream_, cont, use_nothrow);
            if (wec) co_return read_outcome::closed;
        }

        const std::size_t header_fields = detail::field_count(parser_->get());
        tcp().expires_after(limits_.body_timeout);
        auto [ec, n] = co_await http::async_read(stream_, buffer_, *parser_, use_nothrow);
        const detail::read_verdict verdict = detail::check_body(ec, header_fields, parser_->get());
        co_return co_await conclude(verdict);
    }

    // Acts on a step's verdict: a refusal is answered before the session lingers and closes.
    net::awaitable<read_outcome> conclude(const detail::read_verdict& verdict) {
        switch (verdict.result) {
        case detail::read_verdict::outcome::accepted: co_return read_outcome::complete;
        case detail::read_verdict::outcome::closed: co_return read_outcome::closed;
        case detail::read_verdict::outcome::refused: break;
        }
        co_await refuse(verdict.why, verdict.version);
        co_return read_outcome::refused;
    }

    // Tells the client why its request was not served. The connection is closed after it:
    // where one request ended is no longer certain, so nothing more is read as a request.
    net::awaitable<void> refuse(const refusal& why, unsigned version) {
        response res = closing(app_->protocol_error(why.status, why.reason, version));
        co_await write(res);
    }

    // Closing a socket that still has unread input makes the kernel reset the connection,
    // and the reset can destroy the answer just written before the client reads it. So our
    // side is shut down and the client's input read and thrown away, within a time and size
    // budget, until the client closes (nginx's "lingering close"). Over TLS the close_notify
    // exchange of `end_on` does the same.
    net::awaitable<void> linger_after_refusal(plain_stream& stream) { return linger_on(stream); }
    net::awaitable<void> linger_after_refusal(tls_stream&) { co_return; }

    net::awaitable<void> linger_on(plain_stream& stream) {
        beast::error_code ignored;
        stream.socket().shutdown(net::ip::tcp::socket::shutdown_send, ignored);
        stream.expires_after(linger_timeout);
        std::array<char, 4096> sink;
        for (std::size_t discarded = 0; discarded < linger_bytes;) {
            auto [ec, n] = co_await stream.async_read_some(net::buffer(sink), use_nothrow);
            if (ec) break;
            discarded += n;
        }
    }

    net::awaitable<void> end_on(plain_stream&) { co_return; }

    // TLS: close_notify, so the client can tell the end from a cut connection.
    net::awaitable<void> end_on(tls_stream& stream) {
        if (!secured_ || dropped_ || !tcp().socket().is_open()) co_return;
        tcp().expires_after(linger_timeout);
        co_await stream.async_shutdown(use_nothrow);  // whatever the client does, the socket closes next
    }

    net::awaitable<bool> write(response& res) { co_return co_await send(stream_, res, limits_.write_timeout); }

    void close() {
        beast::error_code ignored;
        tcp().socket().shutdown(net::ip::tcp::socket::shutdown_send, ignored);
        tcp().close();
    }

    const connection_info connection_;
    const std::shared_ptr<ssl::context> tls_;  // outlives stream_, whose SSL object it made
    Stream stream_;
    beast::flat_buffer buffer_;
    std::optional<http::request_parser<http::string_body>> parser_;
    std::shared_ptr<handler> app_;
    const server_limits& limits_;
    on_close closed_;
    bool idle_ = true;
    bool stopping_ = false;
    bool secured_ = false;  // the TLS handshake completed
    bool dropped_ = false;  // the handler asked for an abrupt close: no close_notify either
};

}  // namespace

std::shared_ptr<session> make_session(net::ip::tcp::socket socket, std::shared_ptr<ssl::context> tls,
                                      std::shared_ptr<handler> app, const server_limits& limits,
                                      session::on_close closed) {
    if (tls) {
        return std::make_shared<basic_session<tls_stream>>(std::move(socket), std::move(tls), std::move(app), limits,
                                                           std::move(closed));
    }
    return std::make_shared<basic_session<plain_stream>>(std::move(socket), nullptr, std::move(app), limits,
                                                         std::move(closed));
}

net::awaitable<void> refuse_over_limit(net::ip::tcp::socket socket, std::shared_ptr<ssl::context> tls,
                                       const handler& app, std::chrono::milliseconds timeout) {
    response res = closing(app.protocol_error(http::status::service_unavailable, "too many connections", 11));
    boost::system::error_code ignored;
    if (!tls) {
        plain_stream stream(std::move(socket));
        co_await send(stream, res, timeout);
        stream.socket().shutdown(net::ip::tcp::socket::shutdown_both, ignored);
        co_return;
    }
    tls_stream stream(std::move(socket), *tls);
    stream.next_layer().expires_after(timeout);  // one budget for the handshake and the answer
    auto [hec] = co_await stream.async_handshake(ssl::stream_base::server, use_nothrow);
    if (hec) co_return;
    auto [wec, n] = co_await http::async_write(stream, res, use_nothrow);
    if (!wec) co_await stream.async_shutdown(use_nothrow);
}

}  // namespace blubridge::http_server
