#include "session.hpp"

#include "detail/use_nothrow.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/dispatch.hpp>
#include <boost/asio/post.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>

#include <exception>
#include <utility>

namespace blubridge::http_server {

using detail::use_nothrow;

namespace {

// Bytes asked for when waiting for the start of the next request.
constexpr std::size_t first_read_size = 4096;

// The status a client gets when its request could not be read, or 0 to just close.
http::status refusal_status(const beast::error_code& ec) {
    if (ec == http::error::header_limit) return http::status::request_header_fields_too_large;
    if (ec == http::error::body_limit) return http::status::payload_too_large;
    if (ec.category() == http::make_error_code(http::error::bad_method).category()
        && ec != http::error::end_of_stream && ec != http::error::partial_message) {
        return http::status::bad_request;
    }
    return http::status::unknown;
}

bool expects_continue(const request& req) {
    return beast::iequals(req[http::field::expect], "100-continue");
}

}  // namespace

session::session(net::ip::tcp::socket socket, std::shared_ptr<handler> app,
                 const server_limits& limits, on_close closed)
    : stream_(std::move(socket)), app_(std::move(app)), limits_(limits), closed_(std::move(closed)) {}

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
        if (!co_await read_request()) break;

        request req = parser_->release();
        const unsigned version = req.version();
        bool keep_alive = req.keep_alive();

        reply r;
        try {
            r = co_await app_->handle(std::move(req));
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
    auto [ec, n] = co_await stream_.async_read_some(buffer_.prepare(first_read_size), use_nothrow);
    idle_ = false;
    if (ec) co_return false;
    buffer_.commit(n);
    co_return !stopping_;
}

net::awaitable<bool> session::read_request() {
    parser_.emplace();
    parser_->header_limit(limits_.header_limit);
    parser_->body_limit(limits_.body_limit);

    stream_.expires_after(limits_.header_timeout);
    auto [ec, n] = co_await http::async_read_header(stream_, buffer_, *parser_, use_nothrow);
    if (ec) {
        co_await refuse(ec);
        co_return false;
    }
    if (parser_->is_done()) co_return true;

    if (expects_continue(parser_->get())) {
        http::response<http::empty_body> cont{http::status::continue_, parser_->get().version()};
        stream_.expires_after(limits_.write_timeout);
        auto [wec, wn] = co_await http::async_write(stream_, cont, use_nothrow);
        if (wec) co_return false;
    }

    stream_.expires_after(limits_.body_timeout);
    std::tie(ec, n) = co_await http::async_read(stream_, buffer_, *parser_, use_nothrow);
    if (ec) {
        co_await refuse(ec);
        co_return false;
    }
    co_return true;
}

// Tells the client why its request was not read, when the connection can still carry
// an answer (a timed-out or reset connection cannot).
net::awaitable<void> session::refuse(const beast::error_code& ec) {
    const http::status status = refusal_status(ec);
    if (status == http::status::unknown) co_return;
    const unsigned version = parser_->is_header_done() ? parser_->get().version() : 11;
    response res = app_->protocol_error(status, ec.message(), version);
    res.keep_alive(false);
    res.prepare_payload();
    co_await write(res);
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
