#include <blubridge/http/server.hpp>

#include <blubridge/http/io_threads.hpp>

#include <boost/asio/post.hpp>
#include <boost/asio/signal_set.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/thread_pool.hpp>

#include <csignal>
#include <thread>
#include <vector>

namespace blubridge::http_server {

namespace {

// SIGHUP, re-armed after each: `on_hangup` runs on a thread of its own, one run at a time
// (a SIGHUP during a run waits for it), so the I/O threads serve on meanwhile.
class hangup_watch {
public:
    hangup_watch(net::strand<net::io_context::executor_type> strand, std::function<void()> on_hangup)
        : signals_(strand), on_hangup_(std::move(on_hangup)) {
        if (!on_hangup_) return;  // SIGHUP keeps its default action
        signals_.add(SIGHUP);
        arm();
    }
    ~hangup_watch() { worker_.join(); }
    hangup_watch(const hangup_watch&) = delete;
    hangup_watch& operator=(const hangup_watch&) = delete;

    /// No further runs; the one in progress (if any) finishes. On the signals' strand.
    void stop() {
        signals_.cancel();
        worker_.stop();
    }

private:
    void arm() {
        signals_.async_wait([this](const boost::system::error_code& ec, int) {
            if (ec) return;
            net::post(worker_, on_hangup_);
            arm();
        });
    }

    net::signal_set signals_;
    std::function<void()> on_hangup_;
    net::thread_pool worker_{1};
};

}  // namespace

void run_until_signal(net::io_context& ioc, server& srv, unsigned threads, std::function<void()> on_signal,
                      std::function<void()> on_hangup) {
    auto strand = net::make_strand(ioc.get_executor());  // the two watches never run at once
    hangup_watch hangups(strand, std::move(on_hangup));
    net::signal_set signals(strand, SIGINT, SIGTERM);
    signals.async_wait([&srv, &on_signal, &hangups](const boost::system::error_code& ec, int) {
        if (ec) return;
        hangups.stop();
        srv.shutdown();
        if (on_signal) on_signal();
    });

    std::vector<std::thread> pool;
    for (unsigned i = 1; i < threads; ++i) pool.emplace_back([&ioc] { ioc.run(); });
    ioc.run();
    for (auto& t : pool) t.join();
}

void run_until_signal(io_threads& threads, server& srv, std::function<void()> on_signal,
                      std::function<void()> on_hangup) {
    auto strand = net::make_strand(threads.at(0).get_executor());
    hangup_watch hangups(strand, std::move(on_hangup));
    net::signal_set signals(strand, SIGINT, SIGTERM);
    signals.async_wait([&threads, &srv, &on_signal, &hangups](const boost::system::error_code& ec, int) {
        if (ec) return;
        hangups.stop();
        srv.shutdown();
        if (on_signal) on_signal();
        threads.release();  // each context ends once its connections and calls are done
    });
    threads.run();
}

}  // namespace blubridge::http_server
