// The shared HTTP server over real loopback sockets, with a small in-process handler.
#define BOOST_TEST_MODULE http_server
#include <boost/test/unit_test.hpp>

#include <blubridge/http/server.hpp>

#include <test_support/http_client.hpp>
#include <test_support/raw_connection.hpp>

#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/url/parse.hpp>

#include <stdexcept>
#include <thread>

namespace bb = blubridge;
namespace hs = blubridge::http_server;
namespace http = boost::beast::http;
using blubridge::test_support::http_client;
using blubridge::test_support::raw_connection;
using namespace std::chrono_literals;

namespace {

// `n` bytes that differ from their neighbours, so a byte lost or repeated shows.
std::string pattern(std::size_t n) {
    std::string out(n, '\0');
    for (std::size_t i = 0; i < n; ++i) out[i] = static_cast<char>('a' + (i * 7 + i / 26) % 26);
    return out;
}

// /bytes?n=N returns pattern(N); /echo returns the body; /slow?ms=N answers after N ms; /throw throws; /drop drops;
// anything else answers with its own target, so tests can check the order of answers.
class test_handler : public hs::handler {
public:
    boost::asio::awaitable<hs::reply> handle(hs::request req, hs::connection_info) override {
        auto url = boost::urls::parse_origin_form(req.target());
        hs::reply r;
        r.message = hs::response{http::status::ok, req.version()};
        if (url->path() == "/slow") {
            boost::asio::steady_timer timer(co_await boost::asio::this_coro::executor);
            timer.expires_after(std::chrono::milliseconds(std::stoi(std::string((*url->params().find("ms")).value))));
            co_await timer.async_wait(boost::asio::use_awaitable);
        }
        if (url->path() == "/throw") throw std::runtime_error("handler bug");
        if (url->path() == "/drop") r.drop_connection = true;
        r.message.body() = url->path() == "/echo" ? req.body() : std::string(req.target());
        if (url->path() == "/bytes") r.message.body() = pattern(std::stoul(std::string((*url->params().find("n")).value)));
        co_return r;
    }
};

struct running_server {
    explicit running_server(hs::server_limits limits = {}, unsigned threads = 2)
        : srv(ioc, std::make_shared<test_handler>(), limits) {
        auto ec = srv.listen({boost::asio::ip::make_address("127.0.0.1"), 0});
        BOOST_TEST_REQUIRE(!ec, ec.message());
        port = srv.local_endpoint().port();
        srv.start();
        for (unsigned i = 0; i < threads; ++i) pool.emplace_back([this] { ioc.run(); });
    }
    ~running_server() {
        srv.shutdown();
        for (auto& t : pool) t.join();
    }
    boost::asio::io_context ioc;
    hs::server srv;
    unsigned short port = 0;
    std::vector<std::thread> pool;
};

std::string get(std::string_view target, std::string_view extra = {}) {
    return "GET " + std::string(target) + " HTTP/1.1\r\nHost: t\r\n" + std::string(extra) + "\r\n";
}

}  // namespace

BOOST_AUTO_TEST_CASE(keep_alive_serves_many_requests_on_one_connection) {
    running_server s;
    http_client client("127.0.0.1", s.port);
    for (int i = 0; i < 5; ++i) {
        auto r = client.get("/n/" + std::to_string(i));
        BOOST_TEST(r.status == 200u);
        BOOST_TEST(r.body == "/n/" + std::to_string(i));
        BOOST_TEST(r.keep_alive);
    }
    BOOST_TEST(s.srv.connection_count() == 1u);
}

// Answers up to 16 KiB are serialised into one buffer and sent in one write; larger ones
// are written as Beast writes them. Both kinds, in turn on one connection, arrive whole.
BOOST_AUTO_TEST_CASE(small_and_large_answers_arrive_whole_on_one_connection) {
    running_server s;
    http_client client("127.0.0.1", s.port);
    for (const std::size_t n : {0, 1, 1000, 16 * 1024, 16 * 1024 + 1, 100'000, 10, 300'000, 5}) {
        auto r = client.get("/bytes?n=" + std::to_string(n));
        BOOST_TEST(r.status == 200u);
        BOOST_TEST(r.body.size() == n);
        BOOST_TEST((r.body == pattern(n)));
        BOOST_TEST(r.keep_alive);
    }
    BOOST_TEST(s.srv.connection_count() == 1u);
}

BOOST_AUTO_TEST_CASE(pipelined_requests_are_answered_in_order) {
    running_server s;
    raw_connection c("127.0.0.1", s.port);
    c.send(get("/slow?ms=50") + get("/second") + get("/third"));
    const std::string out = c.read_responses(3);
    BOOST_TEST(blubridge::test_support::count_responses(out) == 3u);
    const auto a = out.find("/slow?ms=50"), b = out.find("/second"), d = out.find("/third");
    BOOST_TEST_REQUIRE(a != std::string::npos);
    BOOST_TEST(a < b);
    BOOST_TEST(b < d);
}

BOOST_AUTO_TEST_CASE(oversized_header_gets_431) {
    running_server s;
    raw_connection c("127.0.0.1", s.port);
    c.send(get("/x", "X-Big: " + std::string(9000, 'a') + "\r\n"));
    const std::string out = c.read_until_close();
    BOOST_TEST(out.rfind("HTTP/1.1 431", 0) == 0, out.substr(0, 40));
}

BOOST_AUTO_TEST_CASE(oversized_body_gets_413_before_it_is_read) {
    hs::server_limits limits;
    limits.body_limit = 1024;
    running_server s(limits);
    raw_connection c("127.0.0.1", s.port);
    c.send("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 2048\r\n\r\n");
    const std::string out = c.read_until_close();
    BOOST_TEST(out.rfind("HTTP/1.1 413", 0) == 0, out.substr(0, 40));
}

BOOST_AUTO_TEST_CASE(body_within_limit_is_echoed) {
    hs::server_limits limits;
    limits.body_limit = 1024;
    running_server s(limits);
    http_client client("127.0.0.1", s.port);
    auto r = client.request(http::verb::post, "/echo", std::string(1024, 'z'));
    BOOST_TEST(r.status == 200u);
    BOOST_TEST(r.body == std::string(1024, 'z'));
}

BOOST_AUTO_TEST_CASE(malformed_request_gets_400_and_close) {
    running_server s;
    raw_connection c("127.0.0.1", s.port);
    c.send("THIS IS NOT HTTP\r\n\r\n");
    const std::string out = c.read_until_close();
    BOOST_TEST(out.rfind("HTTP/1.1 400", 0) == 0, out.substr(0, 40));
    BOOST_TEST(c.closed_by_peer());
}

BOOST_AUTO_TEST_CASE(idle_keep_alive_connection_is_closed) {
    hs::server_limits limits;
    limits.idle_timeout = 100ms;
    running_server s(limits);
    raw_connection c("127.0.0.1", s.port);
    c.send(get("/first"));
    const std::string out = c.read_responses(1);
    BOOST_TEST(blubridge::test_support::count_responses(out) == 1u);
    BOOST_TEST(c.closed_by_peer());
}

BOOST_AUTO_TEST_CASE(slow_header_is_cut_off) {
    hs::server_limits limits;
    limits.header_timeout = 100ms;
    running_server s(limits);
    raw_connection c("127.0.0.1", s.port);
    c.send("GET /never-finished HTTP/1.1\r\nHost: t\r\n");
    BOOST_TEST(c.closed_by_peer());
}

BOOST_AUTO_TEST_CASE(slow_body_is_cut_off) {
    hs::server_limits limits;
    limits.body_timeout = 100ms;
    running_server s(limits);
    raw_connection c("127.0.0.1", s.port);
    c.send("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 10\r\n\r\nabc");
    BOOST_TEST(c.closed_by_peer());
}

BOOST_AUTO_TEST_CASE(connections_over_the_limit_get_503) {
    hs::server_limits limits;
    limits.max_connections = 2;
    running_server s(limits);
    http_client first("127.0.0.1", s.port), second("127.0.0.1", s.port);
    BOOST_TEST(first.get("/1").status == 200u);
    BOOST_TEST(second.get("/2").status == 200u);
    http_client third("127.0.0.1", s.port);
    BOOST_TEST(third.get("/3").status == 503u);
    first.disconnect();
    // Once a slot is free, new connections are served again.
    for (int i = 0; i < 100 && s.srv.connection_count() > 1; ++i) std::this_thread::sleep_for(10ms);
    BOOST_TEST(third.get("/4").status == 200u);
}

BOOST_AUTO_TEST_CASE(handler_exception_becomes_500) {
    running_server s;
    http_client client("127.0.0.1", s.port);
    BOOST_TEST(client.get("/throw").status == 500u);
    BOOST_TEST(client.get("/after").status == 200u);
}

BOOST_AUTO_TEST_CASE(drop_closes_without_an_answer) {
    running_server s;
    raw_connection c("127.0.0.1", s.port);
    c.send(get("/drop"));
    BOOST_TEST(c.read_until_close().empty());
}

BOOST_AUTO_TEST_CASE(expect_continue_is_honoured) {
    running_server s;
    raw_connection c("127.0.0.1", s.port);
    c.send("POST /echo HTTP/1.1\r\nHost: t\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n");
    std::string interim = c.read_responses(1);
    BOOST_TEST(interim.rfind("HTTP/1.1 100", 0) == 0, interim);
    c.send("hello");
    const std::string out = interim + c.read_responses(1);
    BOOST_TEST(out.find("HTTP/1.1 200") != std::string::npos);
    BOOST_TEST(out.find("hello") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(shutdown_finishes_in_flight_requests_then_returns) {
    auto s = std::make_unique<running_server>();
    raw_connection busy("127.0.0.1", s->port);
    raw_connection idle("127.0.0.1", s->port);
    idle.send(get("/warm-up"));
    BOOST_TEST(blubridge::test_support::count_responses(idle.read_responses(1)) == 1u);

    busy.send(get("/slow?ms=300"));
    for (int i = 0; i < 100 && s->srv.connection_count() < 2; ++i) std::this_thread::sleep_for(5ms);
    std::this_thread::sleep_for(50ms);  // let the slow request reach the handler
    s->srv.shutdown();

    const std::string out = busy.read_until_close();
    BOOST_TEST(out.rfind("HTTP/1.1 200", 0) == 0, out);
    BOOST_TEST(out.find("Connection: close") != std::string::npos);
    BOOST_TEST(idle.closed_by_peer());
    s.reset();  // joins the io threads: returns because no work is left
}

BOOST_AUTO_TEST_CASE(shutdown_refuses_new_connections) {
    running_server s;
    s.srv.shutdown();
    for (int i = 0; i < 100 && s.srv.connection_count() > 0; ++i) std::this_thread::sleep_for(5ms);
    std::this_thread::sleep_for(20ms);
    BOOST_CHECK_THROW(
        {
            http_client c("127.0.0.1", s.port, 1s);
            c.get("/late");
        },
        boost::system::system_error);
}
