#define BOOST_TEST_MODULE gateway_keyed_mutex
#include <boost/test/unit_test.hpp>

#include "keyed_mutex.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/detached.hpp>

#include <atomic>
#include <thread>
#include <vector>

namespace net = boost::asio;
using blubridge::gateway::keyed_mutex;
using namespace std::chrono_literals;

namespace {

// A read-modify-write with a suspension in the middle, like a customer PUT: without the
// lock, concurrent runs would overwrite each other's increments.
net::awaitable<void> increment(std::shared_ptr<keyed_mutex> locks, std::uint64_t key, int& shared_value,
                               std::atomic<int>& inside, std::atomic<int>& max_inside) {
    auto g = co_await locks->lock(key);
    const int now_inside = ++inside;
    int seen = max_inside.load();
    while (now_inside > seen && !max_inside.compare_exchange_weak(seen, now_inside)) {
    }
    const int read = shared_value;
    net::steady_timer t(co_await net::this_coro::executor, 1ms);
    co_await t.async_wait(net::use_awaitable);
    shared_value = read + 1;
    --inside;
}

}  // namespace

BOOST_AUTO_TEST_CASE(same_key_is_serialised_across_threads) {
    net::io_context ioc;
    auto locks = std::make_shared<keyed_mutex>();
    int value = 0;
    std::atomic<int> inside{0}, max_inside{0};
    for (int i = 0; i < 50; ++i) {
        net::co_spawn(net::make_strand(ioc), increment(locks, 42, value, inside, max_inside), net::detached);
    }
    std::vector<std::thread> pool;
    for (int i = 0; i < 4; ++i) pool.emplace_back([&] { ioc.run(); });
    for (auto& t : pool) t.join();
    BOOST_TEST(value == 50);
    BOOST_TEST(max_inside.load() == 1);
    BOOST_TEST(locks->active_keys() == 0u);  // nothing left behind
}

BOOST_AUTO_TEST_CASE(different_keys_run_side_by_side) {
    net::io_context ioc;
    auto locks = std::make_shared<keyed_mutex>();
    int a = 0, b = 0;
    std::atomic<int> inside{0}, max_inside{0};
    net::co_spawn(net::make_strand(ioc), increment(locks, 1, a, inside, max_inside), net::detached);
    net::co_spawn(net::make_strand(ioc), increment(locks, 2, b, inside, max_inside), net::detached);
    ioc.run();
    BOOST_TEST(a == 1);
    BOOST_TEST(b == 1);
    BOOST_TEST(max_inside.load() == 2);
}
