#pragma once
// Writing an HTTP message as one buffer: Beast serialises it, the socket gets it whole.
#include <blubridge/beast.hpp>
#include <blubridge/net.hpp>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/buffer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/http/serializer.hpp>
#include <boost/beast/http/write.hpp>

#include <string>
#include <tuple>

namespace blubridge::http_server {

/// Messages up to this many body bytes are written flat; larger ones as Beast writes them
/// (copying a large body would cost more than the buffer walk it saves).
inline constexpr std::size_t flat_write_limit = 16 * 1024;

/// Writes `msg` to `stream` like `http::async_write`, in one `send`. Beast's serializer
/// hands a message out as a chain of buffer views (status line, each field, body) that the
/// socket layer walks several times per write; on a GET that walk was ~8% of the gateway's
/// CPU. Here the same serializer copies the message once into `scratch` (kept by the
/// caller, so its capacity is reused) and the socket gets a single buffer. A chunked
/// message, or a body over `flat_write_limit`, goes through `http::async_write` unchanged.
template <class Stream, bool isRequest, class Fields>
net::awaitable<std::tuple<boost::system::error_code, std::size_t>> async_write_flat(
    Stream& stream, http::message<isRequest, http::string_body, Fields>& msg, std::string& scratch) {
    constexpr auto use_nothrow = net::as_tuple(net::use_awaitable);
    if (msg.chunked() || msg.body().size() > flat_write_limit) {
        co_return co_await http::async_write(stream, msg, use_nothrow);
    }
    scratch.clear();
    http::serializer<isRequest, http::string_body, Fields> serializer{msg};
    boost::system::error_code ec;
    while (!serializer.is_done()) {
        serializer.next(ec, [&](boost::system::error_code& next_ec, const auto& buffers) {
            next_ec = {};
            const auto size = net::buffer_size(buffers);
            const auto at = scratch.size();
            scratch.resize(at + size);
            net::buffer_copy(net::buffer(scratch.data() + at, size), buffers);
            serializer.consume(size);
        });
        if (ec) co_return std::tuple{ec, std::size_t{0}};
    }
    co_return co_await net::async_write(stream, net::buffer(scratch), use_nothrow);
}

}  // namespace blubridge::http_server
