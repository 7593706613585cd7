#include <blubridge/http/server.hpp>

#include <boost/asio/signal_set.hpp>

#include <csignal>
#include <thread>
#include <vector>

namespace blubridge::http_server {

void run_until_signal(net::io_context& ioc, server& srv, unsigned threads, std::function<void()> on_signal) {
    net::signal_set signals(ioc, SIGINT, SIGTERM);
    signals.async_wait([&srv, &on_signal](const boost::system::error_code& ec, int) {
        if (ec) return;
        srv.shutdown();
        if (on_signal) on_signal();
    });

    std::vector<std::thread> pool;
    for (unsigned i = 1; i < threads; ++i) pool.emplace_back([&ioc] { ioc.run(); });
    ioc.run();
    for (auto& t : pool) t.join();
}

}  // namespace blubridge::http_server
