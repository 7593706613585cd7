// The upstream connection pool against a real loopback HTTP server.
#define BOOST_TEST_MODULE upstream_pooled_client
#include <boost/test/unit_test.hpp>

#include <blubridge/http/server.hpp>
#include <blubridge/upstream/pooled_client.hpp>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/use_future.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>

#include <atomic>
#include <deque>
#include <filesystem>
#include <future>
#include <mutex>
#include <sstream>
#include <thread>

namespace net = boost::asio;
namespace http = boost::beast::http;
namespace hs = blubridge::http_server;
namespace up = blubridge::upstream;
using namespace std::chrono_literals;

namespace {

// /slow waits 300 ms; /drop drops the first request it sees; /drop-always every one,
// /late-drop each after 400 ms; /fail answers 500 while `failing` is set; every answer's
// body is the target it was asked for (/echo: the request's body).
class upstream_handler : public hs::handler {
public:
    std::atomic<int> requests{0};
    std::atomic<bool> dropped{false};
    std::atomic<bool> failing{false};

    net::awaitable<hs::reply> handle(hs::request req, hs::connection_info) override {
        ++requests;
        hs::reply r;
        r.message = hs::response{http::status::ok, req.version()};
        const std::string target(req.target());
        if (target.find("/slow") != std::string::npos) {
            net::steady_timer t(co_await net::this_coro::executor, 300ms);
            co_await t.async_wait(net::use_awaitable);
        }
        if (target.find("/late-drop") != std::string::npos) {
            net::steady_timer t(co_await net::this_coro::executor, 400ms);
            co_await t.async_wait(net::use_awaitable);
            r.drop_connection = true;
        }
        if (target.find("/drop-always") != std::string::npos) r.drop_connection = true;
        if (target.find("/drop") != std::string::npos && !dropped.exchange(true)) {
            r.drop_connection = true;
        }
        if (target.find("/fail") != std::string::npos && failing) r.message.result(http::status::internal_server_error);
        r.message.body() = target.find("/echo") != std::string::npos ? req.body() : target;
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
                                                          http::verb method, std::string target,
                                                          std::string body = {}) {
        return net::co_spawn(net::make_strand(ioc),
                             [c, method, target, body]() -> net::awaitable<boost::system::result<up::response>> {
                                 up::request req{method, target, 11};
                                 if (!body.empty()) {
                                     req.body() = body;
                                     req.prepare_payload();
                                 }
                                 co_return co_await c->send(std::move(req));
                             },
                             net::use_future);
    }

    boost::system::result<up::response> send(std::shared_ptr<up::client> c, http::verb method,
                                              std::string target, std::string body = {}) {
        return start(std::move(c), method, std::move(target), std::move(body)).get();
    }
};

// An upstream that answers each request by a script, for faults an HTTP server cannot
// produce: a half-sent answer (the header and half the body, then the connection closed)
// and a stalled body (the header and a few bytes, then silence until the client gives up).
// Requests past the script are answered in full, keep-alive.
class scripted_upstream {
public:
    enum class step { answer, half_sent, stall };

    explicit scripted_upstream(std::deque<step> script) : script_(std::move(script)) {
        net::co_spawn(ioc_, accept_loop(), net::detached);
        thread_ = std::thread([this] { ioc_.run(); });
    }
    ~scripted_upstream() {
        ioc_.stop();
        thread_.join();
    }
    std::string url() const { return "http://127.0.0.1:" + std::to_string(acceptor_.local_endpoint().port()); }

    std::atomic<int> requests{0};
    std::atomic<int> connections{0};  // open right now

private:
    step next() {
        std::lock_guard lock(mutex_);
        if (script_.empty()) return step::answer;
        const auto s = script_.front();
        script_.pop_front();
        return s;
    }

    net::awaitable<void> accept_loop() {
        for (;;) {
            auto [ec, socket] = co_await acceptor_.async_accept(net::as_tuple(net::use_awaitable));
            if (ec) co_return;
            net::co_spawn(ioc_, serve(std::move(socket)), net::detached);
        }
    }

    net::awaitable<void> serve(net::ip::tcp::socket socket) {
        ++connections;
        constexpr auto nothrow = net::as_tuple(net::use_awaitable);
        boost::beast::flat_buffer buffer;
        for (;;) {
            http::request<http::string_body> req;
            auto [rec, n] = co_await http::async_read(socket, buffer, req, nothrow);
            if (rec) break;
            ++requests;
            http::response<http::string_body> res{http::status::ok, 11};
            res.body() = "0123456789abcdefghij";
            res.prepare_payload();
            std::ostringstream os;
            os << res;
            const std::string wire = os.str();
            const auto s = next();
            if (s == step::answer) {
                auto [wec, wn] = co_await net::async_write(socket, net::buffer(wire), nothrow);
                if (wec) break;
                continue;
            }
            const auto header_end = wire.find("\r\n\r\n") + 4;
            const auto sent = s == step::half_sent ? header_end + res.body().size() / 2 : header_end + 3;
            auto [wec, wn] = co_await net::async_write(socket, net::buffer(wire.data(), sent), nothrow);
            if (s == step::stall) {  // hold the connection until the client closes it
                char byte;
                while (!wec) std::tie(wec, wn) = co_await socket.async_read_some(net::buffer(&byte, 1), nothrow);
            }
            break;
        }
        boost::system::error_code ignored;
        socket.shutdown(net::ip::tcp::socket::shutdown_both, ignored);
        socket.close(ignored);
        --connections;
    }

    net::io_context ioc_;
    net::ip::tcp::acceptor acceptor_{ioc_, {net::ip::make_address("127.0.0.1"), 0}};
    std::mutex mutex_;
    std::deque<step> script_;
    std::thread thread_;
};

// File descriptors this process has open (sockets of both sides included).
std::size_t open_fds() {
    std::size_t n = 0;
    for ([[maybe_unused]] const auto& e : std::filesystem::directory_iterator("/proc/self/fd")) ++n;
    return n;
}

// Waits (bounded) until `done()` holds; returns whether it did.
template <class Condition>
bool eventually(Condition done, std::chrono::milliseconds limit = 5s) {
    const auto give_up = std::chrono::steady_clock::now() + limit;
    while (!done()) {
        if (std::chrono::steady_clock::now() > give_up) return false;
        std::this_thread::sleep_for(10ms);
    }
    return true;
}

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
    const auto stats = c->stats();  // the one connection is back in the pool, idle
    BOOST_TEST(stats.idle == 1u);
    BOOST_TEST(stats.in_use == 0u);
    BOOST_TEST(stats.waiting == 0u);
    BOOST_TEST(stats.retries == 0u);
}

// A request up to 16 KiB is serialised into one buffer and sent in one write; a larger one
// as Beast writes it. Both, in turn on one connection, arrive whole.
BOOST_AUTO_TEST_CASE(small_and_large_request_bodies_arrive_whole_on_one_connection) {
    upstream_server server;
    client_side side;
    auto c = side.make(options_for(server.url()));
    for (const std::size_t n : {10, 16 * 1024, 16 * 1024 + 1, 100'000, 20}) {
        std::string body(n, 'x');
        for (std::size_t i = 0; i < n; ++i) body[i] = static_cast<char>('a' + (i * 7 + i / 26) % 26);
        auto r = side.send(c, http::verb::post, "/echo", body);
        BOOST_TEST_REQUIRE(r.has_value());
        BOOST_TEST(r->result_int() == 200u);
        BOOST_TEST((r->body() == body));
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
    const auto busy = c->stats();
    BOOST_TEST(busy.in_use == 1u);
    BOOST_TEST(busy.waiting == 1u);
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

BOOST_AUTO_TEST_CASE(a_half_sent_answer_is_lost_and_a_get_is_retried_on_a_new_connection) {
    using step = scripted_upstream::step;
    scripted_upstream server({step::answer, step::half_sent});
    client_side side;
    auto c = side.make(options_for(server.url()));
    BOOST_TEST_REQUIRE(side.send(c, http::verb::get, "/v1/customers/1").has_value());
    const auto baseline = open_fds();  // one pooled connection, both ends

    auto r = side.send(c, http::verb::get, "/v1/customers/2");
    BOOST_TEST_REQUIRE(r.has_value(), r.error().message());
    BOOST_TEST(r->body() == "0123456789abcdefghij");
    BOOST_TEST(server.requests == 3);
    BOOST_TEST(eventually([&] { return server.connections == 1; }));
    BOOST_TEST(eventually([&] { return open_fds() <= baseline; }), open_fds() << " fds, " << baseline << " before");
}

BOOST_AUTO_TEST_CASE(a_half_sent_answer_without_retries_is_connection_lost) {
    scripted_upstream server({scripted_upstream::step::half_sent});
    client_side side;
    auto options = options_for(server.url());
    options.retry.idempotent_attempts = 1;
    auto c = side.make(options);
    auto r = side.send(c, http::verb::get, "/v1/customers/1");
    BOOST_TEST_REQUIRE(r.has_error());
    BOOST_TEST(r.error() == up::make_error_code(up::error::connection_lost));
    BOOST_TEST(eventually([&] { return server.connections == 0; }));
    BOOST_TEST(side.send(c, http::verb::get, "/v1/customers/1").has_value());  // recovered
}

BOOST_AUTO_TEST_CASE(a_stalled_body_times_out_at_the_deadline_and_is_not_retried) {
    scripted_upstream server({scripted_upstream::step::answer, scripted_upstream::step::stall});
    client_side side;
    auto options = options_for(server.url());
    options.request_timeout = 300ms;
    auto c = side.make(options);
    BOOST_TEST_REQUIRE(side.send(c, http::verb::get, "/v1/customers/1").has_value());
    const auto baseline = open_fds();

    const auto started = std::chrono::steady_clock::now();
    auto r = side.send(c, http::verb::get, "/v1/customers/2");
    const auto waited = std::chrono::steady_clock::now() - started;
    BOOST_TEST_REQUIRE(r.has_error());
    BOOST_TEST(r.error() == up::make_error_code(up::error::timed_out));
    BOOST_TEST((waited >= 300ms));
    BOOST_TEST((waited < 1300ms));  // the timeout, not the stall (which lasts until we hang up)
    BOOST_TEST(server.requests == 2);
    // The stalled connection is closed, not pooled: the server sees the hang-up.
    BOOST_TEST(eventually([&] { return server.connections == 0; }));
    BOOST_TEST(eventually([&] { return open_fds() <= baseline - 2; }), open_fds() << " fds, " << baseline << " before");
    BOOST_TEST(side.send(c, http::verb::get, "/v1/customers/3").has_value());
}

BOOST_AUTO_TEST_CASE(retries_of_one_send_end_within_its_deadline) {
    upstream_server server;
    client_side side;
    auto options = options_for(server.url());
    options.connect_timeout = 100ms;
    options.request_timeout = 600ms;  // deadline 700 ms; each attempt is dropped after 400 ms
    options.retry.idempotent_attempts = 5;
    auto c = side.make(options);
    const auto started = std::chrono::steady_clock::now();
    auto r = side.send(c, http::verb::get, "/late-drop");
    const auto waited = std::chrono::steady_clock::now() - started;
    BOOST_TEST_REQUIRE(r.has_error());
    BOOST_TEST(r.error() == up::make_error_code(up::error::timed_out));
    BOOST_TEST(server.handler->requests == 2);  // the second attempt ran into the deadline
    BOOST_TEST((waited < 1200ms));
}

BOOST_AUTO_TEST_CASE(retries_stop_when_the_budget_is_spent) {
    upstream_server server;
    client_side side;
    auto options = options_for(server.url());
    options.retry.idempotent_attempts = 3;
    options.retry.budget_percent = 0;
    options.retry.min_retries_per_second = 2;
    options.retry.backoff_base = 1ms;
    options.breaker.failure_threshold = 0;
    auto c = side.make(options);
    auto first = side.send(c, http::verb::get, "/drop-always");
    BOOST_TEST(first.has_error());
    BOOST_TEST(server.handler->requests == 3);  // two retries: the floor of this second
    auto second = side.send(c, http::verb::get, "/drop-always");
    BOOST_TEST_REQUIRE(second.has_error());
    BOOST_TEST(second.error() == up::make_error_code(up::error::connection_lost));
    BOOST_TEST(server.handler->requests == 4);  // no budget left: sent once
    BOOST_TEST(c->stats().retries == 2u);
}

BOOST_AUTO_TEST_CASE(the_breaker_opens_on_repeated_5xx_refuses_at_once_and_closes_after_a_probe) {
    upstream_server server;
    client_side side;
    auto options = options_for(server.url());
    options.breaker.failure_threshold = 3;
    options.breaker.open_interval = 300ms;
    auto c = side.make(options);
    server.handler->failing = true;
    for (int i = 0; i < 3; ++i) {
        auto r = side.send(c, http::verb::get, "/fail");
        BOOST_TEST_REQUIRE(r.has_value());
        BOOST_TEST(r->result_int() == 500u);  // a 5xx is an answer, passed on
    }
    BOOST_TEST(c->retry_after().count() == 1);

    const auto started = std::chrono::steady_clock::now();
    auto refused = side.send(c, http::verb::get, "/fail");
    BOOST_TEST((std::chrono::steady_clock::now() - started < 500ms));
    BOOST_TEST_REQUIRE(refused.has_error());
    BOOST_TEST(refused.error() == up::make_error_code(up::error::circuit_open));
    BOOST_TEST(server.handler->requests == 3);  // nothing reached the host

    // Still failing when the interval is over: the probe fails and it opens again.
    BOOST_TEST(eventually([&] {
        auto r = side.send(c, http::verb::get, "/fail");
        return r.has_value();
    }));
    BOOST_TEST(server.handler->requests == 4);
    auto again = side.send(c, http::verb::get, "/fail");
    BOOST_TEST_REQUIRE(again.has_error());
    BOOST_TEST(again.error() == up::make_error_code(up::error::circuit_open));

    // Healthy again: the next probe succeeds and closes it.
    server.handler->failing = false;
    BOOST_TEST(eventually([&] { return side.send(c, http::verb::get, "/fail").has_value(); }));
    BOOST_TEST(server.handler->requests == 5);
    for (int i = 0; i < 5; ++i) {
        auto r = side.send(c, http::verb::get, "/fail");
        BOOST_TEST_REQUIRE(r.has_value());
        BOOST_TEST(r->result_int() == 200u);
    }
    BOOST_TEST(c->retry_after().count() == 0);
}

BOOST_AUTO_TEST_CASE(the_breaker_counts_refused_connections) {
    std::string url;
    {
        upstream_server gone;
        url = gone.url();
    }
    client_side side;
    auto options = options_for(url);
    options.breaker.failure_threshold = 2;
    auto c = side.make(options);
    // One send: the refused connect and its retry are two failures.
    auto r = side.send(c, http::verb::post, "/v1/customers");
    BOOST_TEST_REQUIRE(r.has_error());
    BOOST_TEST(r.error() == up::make_error_code(up::error::connect_failed));
    auto refused = side.send(c, http::verb::post, "/v1/customers");
    BOOST_TEST_REQUIRE(refused.has_error());
    BOOST_TEST(refused.error() == up::make_error_code(up::error::circuit_open));
    BOOST_TEST(c->retry_after().count() == 5);
}
