#pragma once
// A website-callback receiver for integration tests: an HTTP server on loopback, in
// this process, that records every request it gets and answers a chosen status. Each
// request also goes to the leak capture (kind `callbacks`, peer "website").
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace blubridge::test_support {

class callback_receiver {
public:
    struct received {
        std::string method, target, content_type, body;
        unsigned answered = 0;  ///< the status it was answered with
    };

    /// Listens on 127.0.0.1:`port` (0: any free port) at once.
    explicit callback_receiver(unsigned short port = 0);
    ~callback_receiver();
    callback_receiver(const callback_receiver&) = delete;
    callback_receiver& operator=(const callback_receiver&) = delete;

    unsigned short port() const { return port_; }
    std::string url(const std::string& path = "/hook") const;

    /// The status answered from now on (default 200).
    void answer(unsigned status) { status_ = status; }

    /// Requests received so far.
    std::vector<received> requests() const;

    /// Down: stops listening, so connections are refused, while a bound socket keeps the
    /// port (an outgoing connection to a free loopback port can otherwise end up
    /// connected to itself, or another process take it). `resume` listens again.
    void pause();
    void resume();

    /// Waits until at least `count` requests have arrived; false after `timeout`.
    bool wait_for(std::size_t count, std::chrono::milliseconds timeout = std::chrono::seconds(20)) const;

    /// Waits until a request whose body contains `needle` has been answered 2xx.
    bool wait_for_accepted(const std::string& needle, std::chrono::milliseconds timeout = std::chrono::seconds(20)) const;

private:
    void listen();
    void stop_serving();
    void serve();
    void serve_connection(boost::asio::ip::tcp::socket socket);

    boost::asio::io_context ioc_;
    boost::asio::ip::tcp::acceptor acceptor_;
    boost::asio::ip::tcp::socket placeholder_;  ///< holds the port while paused
    unsigned short port_ = 0;
    std::atomic<unsigned> status_{200};
    std::atomic<bool> stopping_{false};
    mutable std::mutex mutex_;
    mutable std::condition_variable arrived_;
    std::vector<received> requests_;
    std::thread thread_;
};

}  // namespace blubridge::test_support
