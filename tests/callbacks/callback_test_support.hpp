#pragma once
// What the callback tests share: a loopback HTTP receiver (the project's server on
// 127.0.0.1, recording every request and answering the statuses a test queues), the
// deadline of every wait, and the clock the outbox uses.
#include <blubridge/directory/customer_directory.hpp>
#include <blubridge/http/server.hpp>

#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/test/unit_test.hpp>

#include <chrono>
#include <condition_variable>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace blubridge::test {

namespace hs = blubridge::http_server;

/// How long any test waits for a condition before it fails.
inline constexpr auto deadline = std::chrono::seconds(15);

/// Now, in the outbox's whole seconds.
inline directory::unix_seconds unix_now() {
    return std::chrono::floor<std::chrono::seconds>(std::chrono::system_clock::now().time_since_epoch()).count();
}

// What a receiver was sent.
struct received {
    std::string method, target, content_type, authorization, body;
};

// Records every request; answers the statuses queued in `answers` in turn, then 200.
// A target containing "slow" is answered after 300 ms.
class receiver_handler : public hs::handler {
public:
    net::awaitable<hs::reply> handle(hs::request req, hs::connection_info) override {
        http::status status = http::status::ok;
        {
            std::lock_guard lock(mutex_);
            seen_.push_back({std::string(req.method_string()), std::string(req.target()),
                             std::string(req[http::field::content_type]), std::string(req[http::field::authorization]),
                             req.body()});
            if (!answers_.empty()) {
                status = answers_.front();
                answers_.pop_front();
            }
        }
        changed_.notify_all();
        if (req.target().find("slow") != std::string_view::npos) {
            net::steady_timer t(co_await net::this_coro::executor, std::chrono::milliseconds(300));
            co_await t.async_wait(net::use_awaitable);
        }
        hs::reply r;
        r.message = hs::response{status, req.version()};
        r.message.body() = "thanks";
        co_return r;
    }

    void answer(std::initializer_list<http::status> statuses) {
        std::lock_guard lock(mutex_);
        answers_.insert(answers_.end(), statuses);
    }
    std::vector<received> seen() const {
        std::lock_guard lock(mutex_);
        return seen_;
    }
    bool wait_for_requests(std::size_t n) {
        std::unique_lock lock(mutex_);
        return changed_.wait_for(lock, deadline, [&] { return seen_.size() >= n; });
    }

private:
    mutable std::mutex mutex_;
    std::condition_variable changed_;
    std::vector<received> seen_;
    std::deque<http::status> answers_;
};

// A receiver on 127.0.0.1 (port 0: a free one) with its own thread.
struct receiver {
    explicit receiver(unsigned short port = 0)
        : handler(std::make_shared<receiver_handler>()), srv(ioc, handler, {}) {
        const auto ec = srv.listen({net::ip::make_address("127.0.0.1"), port});
        BOOST_TEST_REQUIRE(!ec, ec.message());
        srv.start();
        thread = std::thread([this] { ioc.run(); });
    }
    ~receiver() {
        srv.shutdown();
        thread.join();
    }
    unsigned short port() const { return srv.local_endpoint().port(); }
    std::string url(std::string_view path = "/hook") const {
        return "http://127.0.0.1:" + std::to_string(port()) + std::string(path);
    }

    std::shared_ptr<receiver_handler> handler;
    net::io_context ioc;
    hs::server srv;
    std::thread thread;
};

}  // namespace blubridge::test
