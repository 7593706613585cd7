#include "connection.hpp"

#include <blubridge/http/flat_write.hpp>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/asio/ssl/host_name_verification.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/error.hpp>
#include <boost/beast/http/error.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>

#include <openssl/ssl.h>

#include <sys/socket.h>

#include <cerrno>

namespace blubridge::upstream {

namespace {

constexpr auto use_nothrow = net::as_tuple(net::use_awaitable);

// What an I/O failure during an exchange means to the caller.
boost::system::error_code classify(const boost::system::error_code& ec) {
    if (ec == beast::error::timeout) return make_error_code(error::timed_out);
    if (ec == http::error::body_limit || ec == http::error::header_limit) {
        return make_error_code(error::malformed_response);
    }
    if (ec.category() == http::make_error_code(http::error::bad_version).category() &&
        ec != http::error::end_of_stream && ec != http::error::partial_message) {
        return make_error_code(error::malformed_response);
    }
    return make_error_code(error::connection_lost);
}

template <class Stream>
net::awaitable<boost::system::error_code> exchange_on(Stream& stream, beast::tcp_stream& tcp,
                                                      beast::flat_buffer& buffer, request& req,
                                                      response& res,
                                                      std::chrono::milliseconds timeout,
                                                      std::uint64_t body_limit) {
    tcp.expires_after(timeout);  // one deadline for the whole exchange
    auto [wec, written] = co_await http_server::async_write_flat(stream, req);
    if (wec) co_return classify(wec);

    http::response_parser<http::string_body> parser;
    parser.body_limit(body_limit);
    parser.skip(req.method() == http::verb::head);
    auto [rec, read] = co_await http::async_read(stream, buffer, parser, use_nothrow);
    if (rec) co_return classify(rec);
    res = parser.release();
    co_return boost::system::error_code{};
}

}  // namespace

namespace {
constexpr std::size_t read_buffer_size = 64 * 1024;
}  // namespace

connection::connection(net::any_io_executor executor)
    : plain_(std::make_unique<beast::tcp_stream>(std::move(executor))) {
    // Beast reads max(512, free space) at a time and the parser empties the buffer after
    // each read: without room up front a 150 KB customer page took ~300 reads.
    buffer_.reserve(read_buffer_size);
}

beast::tcp_stream& connection::tcp() { return tls_ ? tls_->next_layer() : *plain_; }

net::awaitable<boost::system::result<std::unique_ptr<connection>>> connection::open(
    net::any_io_executor executor, const upstream_target& target, boost::asio::ssl::context* tls,
    std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    std::unique_ptr<connection> c(new connection(executor));

    net::ip::tcp::resolver resolver(executor);
    auto [rec, endpoints] = co_await resolver.async_resolve(target.host, target.port, use_nothrow);
    if (rec) co_return make_error_code(error::resolve_failed);

    c->plain_->expires_at(deadline);
    auto [cec, ep] = co_await c->plain_->async_connect(endpoints, use_nothrow);
    if (cec == beast::error::timeout) co_return make_error_code(error::timed_out);
    if (cec) co_return make_error_code(error::connect_failed);
    boost::system::error_code ignored;
    c->plain_->socket().set_option(net::ip::tcp::no_delay(true), ignored);

    if (!target.tls) co_return c;

    c->tls_ = std::make_unique<beast::ssl_stream<beast::tcp_stream>>(std::move(*c->plain_), *tls);
    c->plain_.reset();
    // SNI, so virtual hosts present the right certificate.
    if (!SSL_set_tlsext_host_name(c->tls_->native_handle(), target.host.c_str())) {
        co_return make_error_code(error::tls_handshake_failed);
    }
    c->tls_->set_verify_callback(boost::asio::ssl::host_name_verification(target.host));
    c->tls_->next_layer().expires_at(deadline);
    auto [hec] = co_await c->tls_->async_handshake(boost::asio::ssl::stream_base::client, use_nothrow);
    if (hec == beast::error::timeout) co_return make_error_code(error::timed_out);
    if (hec) co_return make_error_code(error::tls_handshake_failed);
    co_return c;
}

net::awaitable<boost::system::error_code> connection::exchange(request& req, response& res,
                                                               std::chrono::milliseconds timeout,
                                                               std::uint64_t body_limit) {
    if (tls_) co_return co_await exchange_on(*tls_, tls_->next_layer(), buffer_, req, res, timeout, body_limit);
    co_return co_await exchange_on(*plain_, *plain_, buffer_, req, res, timeout, body_limit);
}

bool connection::peer_closed() {
    if (buffer_.size() > 0) return true;  // bytes nobody asked for: the stream is out of step
    // One non-blocking peek (MSG_DONTWAIT) rather than switching the socket to non-blocking
    // and back around it: that took three more system calls per upstream request.
    char probe = 0;
    const auto got = ::recv(tcp().socket().native_handle(), &probe, 1, MSG_PEEK | MSG_DONTWAIT);
    return !(got < 0 && (errno == EAGAIN || errno == EWOULDBLOCK));
}

}  // namespace blubridge::upstream
