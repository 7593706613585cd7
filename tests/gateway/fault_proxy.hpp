#pragma once
// An HTTP proxy between the gateway and the sandbox for the two upstream faults the
// sandbox cannot produce (its HTTP server always writes whole answers): a half-sent answer
// (the header and half the body, then the connection closed) and a stalled body (the
// header, then silence until the gateway hangs up). Without a fault it relays each request
// and answer unchanged, so the sandbox's own faults pass through as they are: a sandbox
// drop closes the gateway's connection too. It can also stand for a Billagain with two
// accounts: requests with a given Authorization go to a sandbox of their own (`route`).
#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>

#include <atomic>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <sstream>
#include <string>
#include <thread>

namespace gateway_test {

class fault_proxy {
public:
    enum class fault { none, half_sent, stalled_body };

    /// Listens on a free loopback port at once; relays to the port `set_target` gives.
    fault_proxy() {
        boost::asio::co_spawn(ioc_, accept_loop(), boost::asio::detached);
        thread_ = std::thread([this] { ioc_.run(); });
    }
    ~fault_proxy() {
        ioc_.stop();
        thread_.join();
    }
    fault_proxy(const fault_proxy&) = delete;
    fault_proxy& operator=(const fault_proxy&) = delete;

    void set_target(unsigned short port) { target_port_ = port; }
    /// Requests whose Authorization field is exactly `authorization` go to `port`.
    void route(std::string authorization, unsigned short port) {
        std::lock_guard lock(mutex_);
        routes_.insert_or_assign(std::move(authorization), port);
    }
    unsigned short port() const { return acceptor_.local_endpoint().port(); }
    std::string url() const { return "http://127.0.0.1:" + std::to_string(port()); }

    /// The next `count` answers get fault `f`; without a count, every answer until `clear`.
    void inject(fault f, std::optional<unsigned> count = std::nullopt) {
        std::lock_guard lock(mutex_);
        fault_ = f;
        remaining_ = count;
    }
    void clear() { inject(fault::none); }

    /// Answers faulted so far.
    unsigned fired() const { return fired_; }

private:
    using tcp = boost::asio::ip::tcp;
    static constexpr auto nothrow = boost::asio::as_tuple(boost::asio::use_awaitable);

    unsigned short target_of(std::string_view authorization) {
        std::lock_guard lock(mutex_);
        const auto it = routes_.find(std::string(authorization));
        return it == routes_.end() ? target_port_.load() : it->second;
    }

    fault take() {
        std::lock_guard lock(mutex_);
        if (fault_ == fault::none) return fault::none;
        const auto f = fault_;
        if (remaining_ && --*remaining_ == 0) fault_ = fault::none;
        ++fired_;
        return f;
    }

    boost::asio::awaitable<void> accept_loop() {
        for (;;) {
            auto [ec, socket] = co_await acceptor_.async_accept(nothrow);
            if (ec) co_return;
            boost::asio::co_spawn(ioc_, relay(std::move(socket)), boost::asio::detached);
        }
    }

    // One gateway connection, one connection to each sandbox it is routed to, one exchange
    // at a time (the gateway never pipelines). Any error on either side closes them all,
    // as a broken link would.
    struct upstream_link {
        tcp::socket socket;
        boost::beast::flat_buffer buffer;
    };

    boost::asio::awaitable<void> relay(tcp::socket downstream) {
        namespace http = boost::beast::http;
        std::map<unsigned short, std::unique_ptr<upstream_link>> upstreams;
        boost::beast::flat_buffer down_buffer;
        for (;;) {
            http::request_parser<http::string_body> req;
            req.body_limit(64 * 1024 * 1024);
            auto [rec, rn] = co_await http::async_read(downstream, down_buffer, req, nothrow);
            if (rec) break;
            const auto port = target_of(req.get()[http::field::authorization]);
            auto& link = upstreams[port];
            if (!link) {
                link = std::make_unique<upstream_link>(upstream_link{tcp::socket(ioc_), {}});
                auto [cec] = co_await link->socket.async_connect({boost::asio::ip::make_address("127.0.0.1"), port},
                                                                 nothrow);
                if (cec) break;
            }
            auto [wec, wn] = co_await http::async_write(link->socket, req.get(), nothrow);
            if (wec) break;
            http::response_parser<http::string_body> res;
            res.body_limit(64 * 1024 * 1024);
            auto [aec, an] = co_await http::async_read(link->socket, link->buffer, res, nothrow);
            if (aec) break;

            std::ostringstream wire_stream;
            wire_stream << res.get();
            const std::string wire = wire_stream.str();
            const auto header_size = wire.find("\r\n\r\n") + 4;
            const auto f = take();
            std::size_t send = wire.size();
            if (f == fault::half_sent) send = header_size + res.get().body().size() / 2;
            if (f == fault::stalled_body) send = header_size;
            auto [dec, dn] = co_await boost::asio::async_write(downstream, boost::asio::buffer(wire.data(), send),
                                                               nothrow);
            if (dec || f == fault::half_sent) break;
            if (f == fault::stalled_body) {  // silence until the gateway gives up
                char byte;
                boost::system::error_code ec;
                while (!ec) std::tie(ec, dn) = co_await downstream.async_read_some(boost::asio::buffer(&byte, 1), nothrow);
                break;
            }
        }
        boost::system::error_code ignored;
        downstream.shutdown(tcp::socket::shutdown_both, ignored);
        for (auto& [port, link] : upstreams) link->socket.shutdown(tcp::socket::shutdown_both, ignored);
    }

    boost::asio::io_context ioc_;
    tcp::acceptor acceptor_{ioc_, {boost::asio::ip::make_address("127.0.0.1"), 0}};
    std::atomic<unsigned short> target_port_{0};
    mutable std::mutex mutex_;
    fault fault_ = fault::none;
    std::optional<unsigned> remaining_;
    std::map<std::string, unsigned short> routes_;
    std::atomic<unsigned> fired_{0};
    std::thread thread_;
};

}  // namespace gateway_test
