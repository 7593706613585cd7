#include "session.hpp"

#include "detail/header_screen.hpp"
#include "detail/read_steps.hpp"
#include "detail/use_nothrow.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>

#include <array>
#include <exception>
#include <utility>

namespace blubridge::http_server {

using detail::refusal;
using detail::use_nothrow;

namespace {

// Bytes asked for at each read of a request header.
constexpr std::size_t header_read_size = 4096;

// After a refusal: how long, and how much, the client's further input is read and thrown
// away before the socket closes (see `session::linger`).
constexpr auto linger_timeout = std::chrono::seconds(2);
constexpr std::size_t linger_bytes = 1024 * 1024;

bool expects_continue(const request& req) {
    return beast::iequals(req[http::field::expect], "100-continue");
}

connection_info describe(const net::ip::tcp::socket& socket) {
    boost::system::error_code ignored;
    return connection_info{socket.remote_endpoint(ignored)};
}

}  // namespace

session::session(net::ip::tcp::socket socket, std::shared_ptr<handler> app,
                 const server_limits& limits, on_close closed)
    : connection_(describe(socket)),
      stream_(std::move(socket)),
      app_(std::move(app)),
      limits_(limits),
      closed_(std::move(closed)) {}

void session::start() {
    net::co_spawn(stream_.get_executor(), [self = shared_from_this()] { return self->run(); },
                  net::detached);
}

void session::stop() {
    net::post(stream_.get_executor(), [self = shared_from_this()] {
        self->stopping_ = true;
        if (self->idle_) self->stream_.cancel();
    });
}

void session::abort() {
    net::post(stream_.get_executor(), [self = shared_from_this()] { self->close(); });
}

net::awaitable<void> session::run() {
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
            r.message = app_->protocol_error(http::status::internal_server_error,
                                             "internal error", version);
        }
        if (r.drop_connection) break;

        keep_alive = keep_alive && !stopping_ && r.message.keep_alive();
        r.message.version(version);
        r.message.keep_alive(keep_alive);
        r.message.prepare_payload();
        if (!co_await write(r.message) || !keep_alive) break;
    }
    close();
    if (closed_) closed_(this);
}

// Waits for the first bytes of the next request under the idle timeout, so a quiet
// keep-alive connection is told apart from a slow header.
net::awaitable<bool> session::wait_for_request() {
    if (buffer_.size() > 0) co_return true;  // a pipelined request is already here
    idle_ = true;
    stream_.expires_after(limits_.idle_timeout);
    auto [ec, n] = co_await stream_.async_read_some(buffer_.prepare(header_read_size), use_nothrow);
    idle_ = false;
    if (ec) co_return false;
    buffer_.commit(n);
    co_return !stopping_;
}

net::awaitable<session::read_outcome> session::read_request() {
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
net::awaitable<session::read_outcome> session::read_header() {
    detail::header_screen screen(limits_.request_line_limit, limits_.header_limit);
    stream_.expires_after(limits_.header_timeout);
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

net::awaitable<session::read_outcome> session::read_body() {
    if (parser_->is_done()) co_return read_outcome::complete;
    const unsigned version = parser_->get().version();
    if (expects_continue(parser_->get())) {
        http::response<http::empty_body> cont{http::status::continue_, version};
        stream_.expires_after(limits_.write_timeout);
        auto [wec, wn] = co_await http::async_write(stream_, cont, use_nothrow);
        if (wec) co_return read_outcome::closed;
    }

    const std::size_t header_fields = detail::field_count(parser_->get());
    stream_.expires_after(limits_.body_timeout);
    auto [ec, n] = co_await http::async_read(stream_, buffer_, *parser_, use_nothrow);
    const detail::read_verdict verdict = detail::check_body(ec, header_fields, parser_->get());
    co_return co_await conclude(verdict);
}

// Acts on a step's verdict: a refusal is answered before the session lingers and closes.
net::awaitable<session::read_outcome> session::conclude(const detail::read_verdict& verdict) {
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
net::awaitable<void> session::refuse(const refusal& why, unsigned version) {
    response res = app_->protocol_error(why.status, why.reason, version);
    res.keep_alive(false);
    res.prepare_payload();
    co_await write(res);
}

// Closing a socket that still has unread input makes the kernel reset the connection,
// and the reset can destroy the answer just written before the client reads it. So our
// side is shut down and the client's input read and thrown away, within a time and size
// budget, until the client closes (nginx's "lingering close").
net::awaitable<void> session::linger() {
    beast::error_code ignored;
    stream_.socket().shutdown(net::ip::tcp::socket::shutdown_send, ignored);
    stream_.expires_after(linger_timeout);
    std::array<char, 4096> sink;
    for (std::size_t discarded = 0; discarded < linger_bytes;) {
        auto [ec, n] = co_await stream_.async_read_some(net::buffer(sink), use_nothrow);
        if (ec) break;
        discarded += n;
    }
}

net::awaitable<bool> session::write(response& res) {
    stream_.expires_after(limits_.write_timeout);
    auto [ec, n] = co_await http::async_write(stream_, res, use_nothrow);
    co_return !ec;
}

void session::close() {
    beast::error_code ignored;
    stream_.socket().shutdown(net::ip::tcp::socket::shutdown_send, ignored);
    stream_.close();
}

}  // namespace blubridge::http_server
