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
#include <vector>

namespace blubridge::http_server {

/// Messages up to this many body bytes are written flat; larger ones as Beast writes them
/// (copying a large body would cost more than the buffer walk it saves).
inline constexpr std::size_t flat_write_limit = 16 * 1024;

namespace detail {

// Buffers that messages are serialised into, reused by the thread that wrote them: one per
// write in flight, not one per connection (10,000 idle keep-alive connections would each
// hold the capacity of their largest answer).
class write_buffers {
public:
    std::string take() {
        if (free_.empty()) return {};
        std::string buffer = std::move(free_.back());
        free_.pop_back();
        return buffer;
    }
    void give_back(std::string buffer) {
        if (free_.size() >= max_free || buffer.capacity() > flat_write_limit + 4096) return;
        buffer.clear();
        free_.push_back(std::move(buffer));
    }

private:
    static constexpr std::size_t max_free = 64;
    std::vector<std::string> free_;
};

// Not inlined: a coroutine may resume on another thread (a shared io_context), and each call
// must name the pool of the thread it runs on, not one remembered across a suspension.
[[gnu::noinline]] inline write_buffers& this_thread_write_buffers() {
    thread_local write_buffers buffers;
    return buffers;
}

}  // namespace detail

/// Writes `msg` to `stream` like `http::async_write`, in one `send`. Beast's serializer
/// hands a message out as a chain of buffer views (status line, each field, body) that the
/// socket layer walks several times per write; on a GET that walk was ~8% of the gateway's
/// CPU. Here the same serializer copies the message once into a buffer taken from this
/// thread's pool (returned after the write, so its capacity is reused) and the socket gets a
/// single buffer. A chunked message, or a body over `flat_write_limit`, goes through
/// `http::async_write` unchanged.
template <class Stream, bool isRequest, class Fields>
net::awaitable<std::tuple<boost::system::error_code, std::size_t>> async_write_flat(
    Stream& stream, http::message<isRequest, http::string_body, Fields>& msg) {
    constexpr auto use_nothrow = net::as_tuple(net::use_awaitable);
    if (msg.chunked() || msg.body().size() > flat_write_limit) {
        co_return co_await http::async_write(stream, msg, use_nothrow);
    }
    std::string buffer = detail::this_thread_write_buffers().take();
    http::serializer<isRequest, http::string_body, Fields> serializer{msg};
    boost::system::error_code ec;
    while (!serializer.is_done()) {
        serializer.next(ec, [&](boost::system::error_code& next_ec, const auto& buffers) {
            next_ec = {};
            const auto size = net::buffer_size(buffers);
            const auto at = buffer.size();
            buffer.resize(at + size);
            net::buffer_copy(net::buffer(buffer.data() + at, size), buffers);
            serializer.consume(size);
        });
        if (ec) co_return std::tuple{ec, std::size_t{0}};
    }
    auto written = co_await net::async_write(stream, net::buffer(buffer), use_nothrow);
    detail::this_thread_write_buffers().give_back(std::move(buffer));
    co_return written;
}

}  // namespace blubridge::http_server
