// The shared HTTP server over TLS, in process: the context swapped while serving
// (`server::replace_tls`, what a reload calls), the connection cap and the drain.
#define BOOST_TEST_MODULE http_tls_server
#include <boost/test/unit_test.hpp>

#include <blubridge/http/server.hpp>
#include <blubridge/http/tls_context.hpp>

#include <test_support/http_client.hpp>
#include <test_support/test_pki.hpp>
#include <test_support/tls_client.hpp>

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>

#include <atomic>
#include <filesystem>
#include <future>
#include <random>
#include <thread>

namespace hs = blubridge::http_server;
namespace ts = blubridge::test_support;
namespace http = boost::beast::http;
namespace ssl = boost::asio::ssl;
namespace fs = std::filesystem;
using namespace std::chrono_literals;

namespace {

// Answers every request with its target, 300 ms later when the target is /slow; drops the
// connection for /drop.
class target_handler : public hs::handler {
public:
    std::atomic<bool> slow_started = false;

    boost::asio::awaitable<hs::reply> handle(hs::request req, hs::connection_info) override {
        if (req.target() == "/slow") {
            slow_started = true;
            boost::asio::steady_timer timer(co_await boost::asio::this_coro::executor);
            timer.expires_after(300ms);
            co_await timer.async_wait(boost::asio::use_awaitable);
        }
        hs::reply r;
        r.drop_connection = req.target() == "/drop";
        r.message = hs::response{http::status::ok, req.version()};
        r.message.body() = std::string(req.target());
        co_return r;
    }
};

struct two_pkis {
    fs::path root = fs::temp_directory_path() / ("blubridge-tls-" + std::to_string(::getpid()) + "-" +
                                                 std::to_string(std::random_device{}()));
    ts::test_pki first = ts::make_test_pki(root / "first");
    ts::test_pki second = ts::make_test_pki(root / "second");
    ~two_pkis() {
        std::error_code ignored;
        fs::remove_all(root, ignored);
    }
};

std::shared_ptr<ssl::context> context_for(const ts::test_pki& pki) {
    return hs::make_tls_context({pki.server_cert(), pki.server_key(), {}});
}

struct running_tls_server {
    explicit running_tls_server(std::shared_ptr<ssl::context> tls, hs::server_limits limits = {})
        : app(std::make_shared<target_handler>()), srv(ioc, app, limits, std::move(tls)) {
        auto ec = srv.listen({boost::asio::ip::make_address("127.0.0.1"), 0});
        BOOST_TEST_REQUIRE(!ec, ec.message());
        port = srv.local_endpoint().port();
        srv.start();
        for (int i = 0; i < 2; ++i) pool.emplace_back([this] { ioc.run(); });
    }
    ~running_tls_server() {
        srv.shutdown();
        for (auto& t : pool) t.join();
    }

    ts::tls_exchange get(const ts::test_pki& trusted, const std::string& target) {
        ts::tls_client_options o;
        o.trusted_ca = trusted.ca();
        return ts::https_request("127.0.0.1", port, o, http::verb::get, target);
    }

    boost::asio::io_context ioc;
    std::shared_ptr<target_handler> app;
    hs::server srv;
    unsigned short port = 0;
    std::vector<std::thread> pool;
};

/// A keep-alive HTTPS connection trusting one CA: several requests over one handshake.
class tls_connection {
public:
    tls_connection(unsigned short port, const ts::test_pki& trusted) : ctx_(ssl::context::tls_client) {
        ctx_.load_verify_file(trusted.ca().string());
        ctx_.set_verify_mode(ssl::verify_peer);
        stream_.next_layer().expires_after(10s);
        stream_.next_layer().connect({boost::asio::ip::make_address("127.0.0.1"), port});
        stream_.handshake(ssl::stream_base::client);
    }

    /// The status of `target`'s answer; throws on a network or TLS failure.
    unsigned get(const std::string& target) {
        http::request<http::string_body> req{http::verb::get, target, 11};
        req.set(http::field::host, "127.0.0.1");
        stream_.next_layer().expires_after(10s);
        http::write(stream_, req);
        http::response<http::string_body> res;
        http::read(stream_, buffer_, res);
        return res.result_int();
    }

private:
    boost::asio::io_context ioc_;
    ssl::context ctx_;
    ssl::stream<boost::beast::tcp_stream> stream_{ioc_, ctx_};
    boost::beast::flat_buffer buffer_;
};

}  // namespace

BOOST_AUTO_TEST_CASE(replace_tls_serves_new_connections_with_the_new_certificate) {
    two_pkis pki;
    running_tls_server s(context_for(pki.first));
    tls_connection before(s.port, pki.first);
    BOOST_TEST(before.get("/one") == 200u);

    s.srv.replace_tls(context_for(pki.second));

    const auto old_ca = s.get(pki.first, "/two");
    BOOST_TEST(old_ca.handshake.message().find("certificate verify failed") != std::string::npos,
               old_ca.handshake.message());
    const auto new_ca = s.get(pki.second, "/three");
    BOOST_TEST(new_ca.status == 200u, new_ca.handshake.message());
    BOOST_TEST(new_ca.body == "/three");
    // The connection made before the swap keeps its session (and the old context).
    BOOST_TEST(before.get("/four") == 200u);
}

BOOST_AUTO_TEST_CASE(a_connection_over_the_limit_gets_503_after_the_handshake) {
    two_pkis pki;
    hs::server_limits limits;
    limits.max_connections = 1;
    running_tls_server s(context_for(pki.first), limits);
    tls_connection holder(s.port, pki.first);
    BOOST_TEST(holder.get("/held") == 200u);
    const auto turned_away = s.get(pki.first, "/more");
    BOOST_TEST(!turned_away.handshake, turned_away.handshake.message());
    BOOST_TEST(turned_away.status == 503u, turned_away.exchange.message());
}

BOOST_AUTO_TEST_CASE(a_drain_lets_a_request_in_flight_over_tls_finish) {
    two_pkis pki;
    running_tls_server s(context_for(pki.first));
    auto in_flight = std::async(std::launch::async, [&] { return s.get(pki.first, "/slow"); });
    while (!s.app->slow_started) std::this_thread::sleep_for(1ms);  // in the handler's 300 ms wait
    s.srv.shutdown();
    const auto r = in_flight.get();
    BOOST_TEST(r.status == 200u, r.exchange.message());
    BOOST_TEST(r.body == "/slow");
}

BOOST_AUTO_TEST_CASE(settings_without_a_certificate_make_no_context_and_plain_http) {
    two_pkis pki;
    BOOST_TEST(!hs::make_tls_context({}));
    running_tls_server s(context_for(pki.first));
    s.srv.replace_tls(hs::make_tls_context({}));
    ts::http_client plain("127.0.0.1", s.port);
    const auto r = plain.get("/plain");
    BOOST_TEST(r.status == 200u);
    BOOST_TEST(r.body == "/plain");
}

BOOST_AUTO_TEST_CASE(make_tls_context_names_the_file_and_the_reason) {
    two_pkis pki;
    try {
        hs::make_tls_context({pki.first.server_cert(), pki.second.server_key(), {}});
        BOOST_FAIL("a key of another certificate was accepted");
    } catch (const hs::tls_error& e) {
        BOOST_TEST(std::string(e.what()).find("private key " + pki.second.server_key().string()) != std::string::npos,
                   e.what());
        BOOST_TEST(std::string(e.what()).find("key values mismatch") != std::string::npos, e.what());
    }
}

BOOST_AUTO_TEST_CASE(a_dropped_connection_ends_without_close_notify) {
    two_pkis pki;
    running_tls_server s(context_for(pki.first));
    // The sandbox's "drop" fault must look like a cut connection over TLS too.
    const auto dropped = s.get(pki.first, "/drop");
    BOOST_TEST(dropped.status == 0u);
    BOOST_TEST(dropped.exchange == ssl::error::stream_truncated, dropped.exchange.message());
}
