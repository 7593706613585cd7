// The upstream client over HTTPS against a real TLS server on loopback, with certificates
// made for the test: the chain and the host name are verified, a private CA can be named.
#define BOOST_TEST_MODULE upstream_tls
#include <boost/test/unit_test.hpp>

#include <blubridge/upstream/pooled_client.hpp>

#include <test_support/run_process.hpp>

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/strand.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/use_future.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>

#include <filesystem>
#include <random>
#include <thread>

namespace net = boost::asio;
namespace ssl = boost::asio::ssl;
namespace beast = boost::beast;
namespace http = boost::beast::http;
namespace up = blubridge::upstream;
namespace fs = std::filesystem;
using namespace std::chrono_literals;

namespace {

constexpr auto use_nothrow = net::as_tuple(net::use_awaitable);

// A self-signed certificate for `names` (subjectAltName entries), made with openssl(1).
struct certificate {
    fs::path dir = fs::temp_directory_path() / ("blubridge-tls-" + std::to_string(std::random_device{}()));
    fs::path cert = dir / "cert.pem";
    fs::path key = dir / "key.pem";

    explicit certificate(const std::string& names) {
        fs::create_directories(dir);
        auto r = blubridge::test_support::run_process(
            "/usr/bin/openssl", {"req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj",
                                 "/CN=blubridge test", "-addext", "subjectAltName=" + names, "-keyout",
                                 key.string(), "-out", cert.string()});
        BOOST_TEST_REQUIRE(r.exit_code == 0, r.output);
    }
    ~certificate() {
        std::error_code ignored;
        fs::remove_all(dir, ignored);
    }
};

// Answers every request on every connection with 200 "tls ok".
class tls_server {
public:
    explicit tls_server(const certificate& c) : acceptor_(ioc_, {net::ip::make_address("127.0.0.1"), 0}) {
        ctx_.use_certificate_chain_file(c.cert.string());
        ctx_.use_private_key_file(c.key.string(), ssl::context::pem);
        net::co_spawn(ioc_, accept_loop(), net::detached);
        thread_ = std::thread([this] { ioc_.run(); });
    }
    ~tls_server() {
        net::post(ioc_, [this] { acceptor_.close(); });
        ioc_.stop();
        thread_.join();
    }
    unsigned short port() const { return acceptor_.local_endpoint().port(); }

private:
    net::awaitable<void> accept_loop() {
        for (;;) {
            auto [ec, socket] = co_await acceptor_.async_accept(use_nothrow);
            if (ec) co_return;
            net::co_spawn(ioc_, serve(std::move(socket)), net::detached);
        }
    }
    net::awaitable<void> serve(net::ip::tcp::socket socket) {
        beast::ssl_stream<beast::tcp_stream> stream(std::move(socket), ctx_);
        stream.next_layer().expires_after(5s);
        auto [hec] = co_await stream.async_handshake(ssl::stream_base::server, use_nothrow);
        if (hec) co_return;
        beast::flat_buffer buffer;
        for (;;) {
            http::request<http::string_body> req;
            auto [rec, n] = co_await http::async_read(stream, buffer, req, use_nothrow);
            if (rec) co_return;
            http::response<http::string_body> res{http::status::ok, req.version()};
            res.body() = "tls ok";
            res.prepare_payload();
            auto [wec, m] = co_await http::async_write(stream, res, use_nothrow);
            if (wec) co_return;
        }
    }

    net::io_context ioc_;
    ssl::context ctx_{ssl::context::tls_server};
    net::ip::tcp::acceptor acceptor_;
    std::thread thread_;
};

boost::system::result<up::response> get_over(const up::client_options& options) {
    net::io_context ioc;
    auto client = up::make_pooled_client(ioc.get_executor(), options);
    BOOST_TEST_REQUIRE(client.has_value(), (client ? std::string() : client.error().message()));
    auto f = net::co_spawn(net::make_strand(ioc), (*client)->send(up::request{http::verb::get, "/v1/customers", 11}),
                           net::use_future);
    ioc.run();
    return f.get();
}

up::client_options options(const std::string& host, unsigned short port, const std::string& ca_file) {
    up::client_options o;
    o.base_url = "https://" + host + ":" + std::to_string(port);
    o.ca_file = ca_file;
    o.connect_timeout = 5s;
    o.request_timeout = 5s;
    return o;
}

}  // namespace

BOOST_AUTO_TEST_CASE(trusted_certificate_with_matching_name_connects) {
    certificate cert("DNS:localhost,IP:127.0.0.1");
    tls_server server(cert);
    for (const char* host : {"localhost", "127.0.0.1"}) {
        auto r = get_over(options(host, server.port(), cert.cert.string()));
        BOOST_TEST_REQUIRE(r.has_value(), host << ": " << (r ? std::string() : r.error().message()));
        BOOST_TEST(r->body() == "tls ok");
    }
}

BOOST_AUTO_TEST_CASE(certificate_from_an_unknown_ca_is_refused) {
    certificate cert("DNS:localhost,IP:127.0.0.1");
    tls_server server(cert);
    auto r = get_over(options("localhost", server.port(), ""));  // system CAs only
    BOOST_TEST_REQUIRE(r.has_error());
    BOOST_TEST(r.error() == up::make_error_code(up::error::tls_handshake_failed));
}

BOOST_AUTO_TEST_CASE(certificate_for_another_host_name_is_refused) {
    certificate cert("DNS:billing.example.org");
    tls_server server(cert);
    auto r = get_over(options("localhost", server.port(), cert.cert.string()));
    BOOST_TEST_REQUIRE(r.has_error());
    BOOST_TEST(r.error() == up::make_error_code(up::error::tls_handshake_failed));
}

BOOST_AUTO_TEST_CASE(verification_can_be_switched_off_explicitly) {
    certificate cert("DNS:billing.example.org");
    tls_server server(cert);
    auto o = options("localhost", server.port(), "");
    o.verify_peer = false;
    auto r = get_over(o);
    BOOST_TEST_REQUIRE(r.has_value(), (r ? std::string() : r.error().message()));
    BOOST_TEST(r->body() == "tls ok");
}

BOOST_AUTO_TEST_CASE(unreadable_ca_file_is_a_configuration_error) {
    net::io_context ioc;
    auto client = up::make_pooled_client(ioc.get_executor(), options("localhost", 443, "/nonexistent/ca.pem"));
    BOOST_TEST(client.has_error());
}
