// The upstream connection pool against a real loopback HTTP server.
#define BOOST_TEST_MODULE upstream_pooled_client
#include <boost/test/unit_test.hpp>

#include <blubridge/http/server.hpp>
#include <blubridge/upstream/pooled_client.hpp>

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/use_future.hpp>
#include <boost/asio/write.hpp>

#include <atomic>
#include <future>
#include <thread>

namespace net = boost::asio;
namespace http = boost::beast::http;
namespace hs = blubridge::http_server;
namespace up = blubridge::upstream;
using namespace std::chrono_literals;

namespace {

// /slow waits 300 ms; /drop-once drops the first request it sees; every answer's body
// is the target it was asked for.
class upstream_handler : public hs::handler {
public:
    std::atomic<int> requests{0};
    std::atomic<bool> dropped{false};

    net::awaitable<hs::reply> handle(hs::request req, hs::connection_info) override {
        ++requests;
        hs::reply r;
        r.message = hs::response{http::status::ok, req.version()};
        const std::string target(req.target());
        if (target.find("/slow") != std::string::npos) {
            net::steady_timer t(co_await net::this_coro::executor, 300ms);
            co_await t.async_wait(net::use_awaitable);
        }
        if (target.find("/drop") != std::string::npos && !dropped.exchange(true)) {
            r.drop_connection = true;
        }
        r.message.body() = target;
        co_return r;
    }
};

struct upstream_server {
    explicit upstream_server(hs::server_limits limits = {})
        : handler(std::make_shared<upstream_handler>()), srv(ioc, handler, limits) {
        BOOST_TEST_REQUIRE(!srv.listen({net::ip::make_address("127.0.0.1"), 0}));
        srv.start();
        thread = std::thread([this] { ioc.run(); });
    }
    ~upstream_server() {
        srv.shutdown();
        thread.join();
    }
    std::string url() const { return "http://127.0.0.1:" + std::to_string(srv.local_endpoint().port()); }

    net::io_context ioc;
    std::shared_ptr<upstream_handler> handler;
    hs::server srv;
    std::thread thread;
};

struct client_side {
    net::io_context ioc;
    net::executor_work_guard<net::io_context::executor_type> work = net::make_work_guard(ioc);
    std::thread thread{[this] { ioc.run(); }};
    ~client_side() {
        work.reset();
        thread.join();
    }

    std::shared_ptr<up::client> make(up::client_options options) {
        auto c = up::make_pooled_client(ioc.get_executor(), options);
        BOOST_TEST_REQUIRE(c.has_value());
        return *c;
    }

    std::future<boost::system::result<up::response>> start(std::shared_ptr<up::client> c,
                                                          http::verb method, std::string target) {
        return net::co_spawn(net::make_strand(ioc),
                             [c, method, target]() -> net::awaitable<boost::system::result<up::response>> {
                                 up::request req{method, target, 11};
                                 co_return co_await c->send(std::move(req));
                             },
                             net::use_future);
    }

    boost::system::result<up::response> send(std::shared_ptr<up::client> c, http::verb method,
                                              std::string target) {
        return start(std::move(c), method, std::move(target)).get();
    }
};

up::client_options options_for(const std::string& url) {
    up::client_options o;
    o.base_url = url;
    o.connect_timeout = 2s;
    o.request_timeout = 5s;
    return o;
}

}  // namespace

BOOST_AUTO_TEST_CASE(get_round_trip_reuses_one_connection) {
    upstream_server server;
    client_side side;
    auto c = side.make(options_for(server.url()));
    for (int i = 0; i < 3; ++i) {
        auto r = side.send(c, http::verb::get, "/v1/customers/" + std::to_string(i));
        BOOST_TEST_REQUIRE(r.has_value());
        BOOST_TEST(r->result_int() == 200u);
        BOOST_TEST(r->body() == "/v1/customers/" + std::to_string(i));
    }
    BOOST_TEST(server.srv.connection_count() == 1u);
}

BOOST_AUTO_TEST_CASE(base_url_path_is_prefixed) {
    upstream_server server;
    client_side side;
    auto c = side.make(options_for(server.url() + "/api/"));
    auto r = side.send(c, http::verb::get, "/v1/customers");
    BOOST_TEST_REQUIRE(r.has_value());
    BOOST_TEST(r->body() == "/api/v1/customers");
}

BOOST_AUTO_TEST_CASE(refused_connection_is_connect_failed) {
    std::string url;
    {
        upstream_server gone;  // take a free port, then release it
        url = gone.url();
    }
    client_side side;
    auto r = side.send(side.make(options_for(url)), http::verb::get, "/v1/customers");
    BOOST_TEST_REQUIRE(r.has_error());
    BOOST_TEST(r.error() == up::make_error_code(up::error::connect_failed));
}

BOOST_AUTO_TEST_CASE(slow_upstream_times_out) {
    upstream_server server;
    client_side side;
    auto options = options_for(server.url());
    options.request_timeout = 100ms;
    auto r = side.send(side.make(options), http::verb::get, "/slow");
    BOOST_TEST_REQUIRE(r.has_error());
    BOOST_TEST(r.error() == up::make_error_code(up::error::timed_out));
}

BOOST_AUTO_TEST_CASE(connection_closed_by_upstream_while_idle_is_not_reused) {
    hs::server_limits limits;
    limits.idle_timeout = 50ms;
    upstream_server server(limits);
    client_side side;
    auto c = side.make(options_for(server.url()));
    BOOST_TEST(side.send(c, http::verb::post, "/first").has_value());
    for (int i = 0; i < 100 && server.srv.connection_count() > 0; ++i) std::this_thread::sleep_for(10ms);
    // A POST is never retried, so this only succeeds if the dead connection was skipped.
    auto r = side.send(c, http::verb::post, "/second");
    BOOST_TEST_REQUIRE(r.has_value(), (r.has_error() ? r.error().message() : std::string()));
    BOOST_TEST(r->body() == "/second");
    BOOST_TEST(server.handler->requests == 2);
}

BOOST_AUTO_TEST_CASE(get_is_retried_once_when_the_connection_drops) {
    upstream_server server;
    client_side side;
    auto r = side.send(side.make(options_for(server.url())), http::verb::get, "/drop");
    BOOST_TEST_REQUIRE(r.has_value());
    BOOST_TEST(r->result_int() == 200u);
    BOOST_TEST(server.handler->requests == 2);
}

BOOST_AUTO_TEST_CASE(post_is_never_retried_after_it_was_sent) {
    upstream_server server;
    client_side side;
    auto r = side.send(side.make(options_for(server.url())), http::verb::post, "/drop");
    BOOST_TEST_REQUIRE(r.has_error());
    BOOST_TEST(r.error() == up::make_error_code(up::error::connection_lost));
    BOOST_TEST(server.handler->requests == 1);
}

BOOST_AUTO_TEST_CASE(full_pool_queues_then_refuses) {
    upstream_server server;
    client_side side;
    auto options = options_for(server.url());
    options.max_connections = 1;
    options.max_waiting = 1;
    auto c = side.make(options);
    auto first = side.start(c, http::verb::get, "/slow/1");
    std::this_thread::sleep_for(50ms);
    auto queued = side.start(c, http::verb::get, "/slow/2");
    std::this_thread::sleep_for(50ms);
    auto refused = side.send(c, http::verb::get, "/slow/3");
    BOOST_TEST_REQUIRE(refused.has_error());
    BOOST_TEST(refused.error() == up::make_error_code(up::error::pool_exhausted));
    auto a = first.get();
    auto b = queued.get();
    BOOST_TEST_REQUIRE(a.has_value());
    BOOST_TEST_REQUIRE(b.has_value());
    BOOST_TEST(b->body() == "/slow/2");
    BOOST_TEST(server.srv.connection_count() == 1u);
}

BOOST_AUTO_TEST_CASE(garbage_from_upstream_is_malformed_response) {
    net::io_context ioc;
    net::ip::tcp::acceptor acceptor(ioc, {net::ip::make_address("127.0.0.1"), 0});
    const auto port = acceptor.local_endpoint().port();
    std::thread liar([&] {
        auto socket = acceptor.accept();
        char buf[1024];
        boost::system::error_code ec;
        socket.read_some(net::buffer(buf), ec);
        net::write(socket, net::buffer(std::string("NOT-HTTP garbage\r\n\r\n")), ec);
    });
    client_side side;
    auto options = options_for("http://127.0.0.1:" + std::to_string(port));
    options.retry.idempotent_attempts = 1;
    auto r = side.send(side.make(options), http::verb::get, "/v1/customers");
    liar.join();
    BOOST_TEST_REQUIRE(r.has_error());
    BOOST_TEST(r.error() == up::make_error_code(up::error::malformed_response));
}

BOOST_AUTO_TEST_CASE(https_to_a_plain_server_fails_the_handshake) {
    upstream_server server;
    client_side side;
    const std::string url = "https://127.0.0.1:" + std::to_string(server.srv.local_endpoint().port());
    auto r = side.send(side.make(options_for(url)), http::verb::get, "/v1/customers");
    BOOST_TEST_REQUIRE(r.has_error());
    BOOST_TEST(r.error() == up::make_error_code(up::error::tls_handshake_failed));
}

BOOST_AUTO_TEST_CASE(unusable_base_urls_are_rejected) {
    net::io_context ioc;
    for (const char* bad : {"", "ftp://x", "http://", "not a url", "http://h/?q=1"}) {
        up::client_options o;
        o.base_url = bad;
        auto c = up::make_pooled_client(ioc.get_executor(), o);
        BOOST_TEST_REQUIRE(c.has_error(), bad);
        BOOST_TEST(c.error() == up::make_error_code(up::error::invalid_url));
    }
}
