// The malformed-request corpus replayed over raw sockets against the shared HTTP server:
// each entry gets exactly one answer, with the expected status, and then the connection
// closes; nothing sent after the refused request is served.
#define BOOST_TEST_MODULE http_framing_corpus
#include <boost/test/unit_test.hpp>

#include <blubridge/http/server.hpp>

#include <test_support/http_corpus.hpp>
#include <test_support/raw_connection.hpp>

#include <thread>
#include <vector>

namespace hs = blubridge::http_server;
namespace http = boost::beast::http;
namespace ts = blubridge::test_support;
using namespace std::chrono_literals;

namespace {

// Answers every request with its own target, so a smuggled request would show.
class echo_target_handler : public hs::handler {
public:
    boost::asio::awaitable<hs::reply> handle(hs::request req, hs::connection_info) override {
        hs::reply r;
        r.message = hs::response{http::status::ok, req.version()};
        r.message.body() = std::string(req.target());
        co_return r;
    }
};

struct running_server {
    running_server() : srv(ioc, std::make_shared<echo_target_handler>(), limits()) {
        auto ec = srv.listen({boost::asio::ip::make_address("127.0.0.1"), 0});
        BOOST_TEST_REQUIRE(!ec, ec.message());
        srv.start();
        for (int i = 0; i < 2; ++i) pool.emplace_back([this] { ioc.run(); });
    }
    ~running_server() {
        srv.shutdown();
        for (auto& t : pool) t.join();
    }
    static hs::server_limits limits() {
        hs::server_limits l;
        l.header_timeout = 2s;  // an entry the server waits on fails fast instead of hanging
        return l;
    }
    boost::asio::io_context ioc;
    hs::server srv;
    std::vector<std::thread> pool;
};

std::string status_line(const std::string& out) { return out.substr(0, out.find("\r\n")); }

}  // namespace

BOOST_AUTO_TEST_CASE(corpus_has_at_least_thirty_entries) {
    BOOST_TEST(ts::load_corpus(CORPUS_DIR).size() >= 30u);
}

BOOST_AUTO_TEST_CASE(each_entry_gets_one_refusal_then_the_connection_closes) {
    running_server s;
    for (const auto& entry : ts::load_corpus(CORPUS_DIR)) {
        BOOST_TEST_CONTEXT(entry.name) {
            ts::raw_connection c("127.0.0.1", s.srv.local_endpoint().port());
            c.send(ts::with_authorization(entry.bytes, ""));
            const std::string out = c.read_until_close(5s);
            BOOST_TEST(ts::count_responses(out) == 1u, out);
            const std::string line = status_line(out);
            BOOST_TEST(line.substr(line.find(' ') + 1, 3) == std::to_string(entry.expected_status), line);
            BOOST_TEST(out.find("/smuggled") == std::string::npos, out);
            BOOST_TEST(c.closed_by_peer(1s));
        }
    }
}

BOOST_AUTO_TEST_CASE(a_well_framed_chunked_request_is_still_served) {
    running_server s;
    ts::raw_connection c("127.0.0.1", s.srv.local_endpoint().port());
    c.send("POST /chunked HTTP/1.1\r\nHost: t\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n"
           "GET /next HTTP/1.1\r\nHost: t\r\n\r\n");
    const std::string out = c.read_responses(2);
    BOOST_TEST(ts::count_responses(out) == 2u, out);
    BOOST_TEST(out.find("/chunked") < out.find("/next"));
}

BOOST_AUTO_TEST_CASE(empty_lines_before_a_request_are_skipped) {
    running_server s;
    ts::raw_connection c("127.0.0.1", s.srv.local_endpoint().port());
    c.send("\r\n\r\nGET /after-blank HTTP/1.1\r\nHost: t\r\n\r\n");
    const std::string out = c.read_responses(1);
    BOOST_TEST(out.rfind("HTTP/1.1 200", 0) == 0, out);
    BOOST_TEST(out.find("/after-blank") != std::string::npos);
}

BOOST_AUTO_TEST_CASE(a_header_split_across_many_writes_is_screened_whole) {
    running_server s;
    ts::raw_connection c("127.0.0.1", s.srv.local_endpoint().port());
    const std::string request = "GET /trickled HTTP/1.1\r\nHost: t\r\nX-A: first\r\n\tsecond\r\n\r\n";
    for (char ch : request) c.send(std::string(1, ch));
    const std::string out = c.read_until_close(5s);
    BOOST_TEST(out.rfind("HTTP/1.1 400", 0) == 0, out);
}
