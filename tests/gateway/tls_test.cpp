// HTTPS on the gateway's listener (`tls:`), against real processes on loopback: a client
// trusting the test CA is served; one trusting another CA, one speaking only TLS 1.0/1.1
// and a plain-HTTP request are refused, and the gateway goes on serving; a client that
// never handshakes is closed; with `client_ca_file` (mTLS) only clients with a certificate
// from that CA are served; --check-config refuses a key that does not match and a plain
// listener off loopback.
#define BOOST_TEST_MODULE gateway_tls
#include <boost/test/unit_test.hpp>

#include "gateway_stack.hpp"

#include <blubridge/auth/basic_authenticator.hpp>

#include <test_support/raw_connection.hpp>
#include <test_support/run_process.hpp>
#include <test_support/test_pki.hpp>
#include <test_support/tls_client.hpp>

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/asio/ssl/stream.hpp>

#include <openssl/ssl.h>

#include <csignal>
#include <filesystem>
#include <thread>

using namespace gateway_test;
namespace ts = blubridge::test_support;
namespace ssl = boost::asio::ssl;

namespace {

std::string pem_lines(const ts::test_pki& pki, bool mutual) {
    std::string yaml = "tls:\n"
                       "  certificate_file: " + pki.server_cert().string() + "\n"
                       "  key_file: " + pki.server_key().string() + "\n";
    if (mutual) yaml += "  client_ca_file: " + pki.ca().string() + "\n";
    return yaml;
}

/// The gateway and the sandbox, the gateway serving HTTPS with the test PKI's server
/// certificate, ready (its first directory sync done) when constructed.
struct tls_stack {
    scratch_dir pki_dir;
    ts::test_pki pki = ts::make_test_pki(pki_dir.path);
    gateway_stack stack;

    bool mutual;

    explicit tls_stack(bool mtls = false, std::string extra_limits = {})
        : stack(options(pki, mtls, extra_limits)), mutual(mtls) {
        const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
        while (request("/readyz", trusting_the_ca()).status != 200u) {
            if (std::chrono::steady_clock::now() > deadline) throw std::runtime_error("the gateway never became ready");
            std::this_thread::sleep_for(std::chrono::milliseconds(20));
        }
    }

    static stack_options options(const ts::test_pki& pki, bool mutual, const std::string& extra_limits) {
        stack_options o;
        o.extra_config = pem_lines(pki, mutual);
        o.extra_limits = extra_limits;
        o.wait_ready = false;  // the stack's plain client cannot ask
        return o;
    }

    /// A client the gateway serves: it trusts the CA and, under mTLS, has its certificate.
    ts::tls_client_options trusting_the_ca() const {
        ts::tls_client_options o;
        o.trusted_ca = pki.ca();
        if (mutual) {
            o.certificate = pki.client_cert();
            o.private_key = pki.client_key();
        }
        return o;
    }

    ts::tls_exchange request(const std::string& target, const ts::tls_client_options& client) {
        return ts::https_request(stack.gateway->host(), stack.gateway->port(), client, http::verb::get, target,
                                 blubridge::auth::make_basic_authorization(user, password));
    }

    /// A request the whole stack serves: authenticated, routed, read from the sandbox.
    bool serves_a_customer() {
        const auto r = request("/rest/customer/302?format=xml", trusting_the_ca());
        return r.status == 200u && r.body.find("<customer id=\"302\">") != std::string::npos;
    }
};

/// A TLS server that accepts TLS 1.0 (security level 0), to show the legacy client really
/// speaks it: the gateway's refusal is then the gateway's doing, not the client's.
class permissive_tls_server {
public:
    explicit permissive_tls_server(const ts::test_pki& pki) : ctx_(ssl::context::tls_server) {
        SSL_CTX_set_min_proto_version(ctx_.native_handle(), TLS1_VERSION);
        SSL_CTX_set_cipher_list(ctx_.native_handle(), "DEFAULT@SECLEVEL=0");
        ctx_.use_certificate_chain_file(pki.server_cert().string());
        ctx_.use_private_key_file(pki.server_key().string(), ssl::context::pem);
        acceptor_.open(boost::asio::ip::tcp::v4());
        acceptor_.bind({boost::asio::ip::make_address("127.0.0.1"), 0});
        acceptor_.listen();
        thread_ = std::thread([this] {
            boost::system::error_code ec;
            ssl::stream<boost::asio::ip::tcp::socket> stream(ioc_, ctx_);
            acceptor_.accept(stream.next_layer(), ec);
            if (!ec) stream.handshake(ssl::stream_base::server, ec);
        });
    }
    ~permissive_tls_server() { thread_.join(); }

    unsigned short port() const { return acceptor_.local_endpoint().port(); }

private:
    boost::asio::io_context ioc_;
    ssl::context ctx_;
    boost::asio::ip::tcp::acceptor acceptor_{ioc_};
    std::thread thread_;
};

ts::tls_client_options legacy_only(const ts::test_pki& pki) {
    ts::tls_client_options o;
    o.trusted_ca = pki.ca();
    o.min_version = TLS1_VERSION;
    o.max_version = TLS1_1_VERSION;
    o.allow_legacy = true;
    return o;
}

std::string read_file(const fs::path& file) {
    std::ifstream in(file);
    return {std::istreambuf_iterator<char>(in), {}};
}

void rewrite(const fs::path& file, const std::string& from, const std::string& to) {
    std::string text = read_file(file);
    text.replace(text.find(from), from.size(), to);
    std::ofstream(file) << text;
}

ts::process_result check_config(const fs::path& config) {
    return ts::run_process(required_env("BLUBRIDGE_GATEWAY"), {"--config", config.string(), "--check-config"});
}

}  // namespace

BOOST_AUTO_TEST_CASE(a_client_trusting_the_ca_is_served_over_https) {
    tls_stack s;
    BOOST_TEST(s.stack.gateway->output().find("listening on https://") != std::string::npos);
    const auto r = s.request("/rest/customer/302?format=xml", s.trusting_the_ca());
    BOOST_TEST(!r.handshake, r.handshake.message());
    BOOST_TEST(r.protocol == "TLSv1.3");
    BOOST_TEST(r.status == 200u, r.exchange.message() + r.body);
    BOOST_TEST(r.body.find("<customer id=\"302\">") != std::string::npos, r.body);

    // TLS 1.2 is still offered, for older clients.
    auto tls12 = s.trusting_the_ca();
    tls12.max_version = TLS1_2_VERSION;
    const auto older = s.request("/rest/customer/302?format=xml", tls12);
    BOOST_TEST(older.protocol == "TLSv1.2", older.handshake.message());
    BOOST_TEST(older.status == 200u);

    // Credentials are checked as over plain HTTP.
    const auto wrong = ts::https_request(s.stack.gateway->host(), s.stack.gateway->port(), s.trusting_the_ca(),
                                         http::verb::get, "/rest/customer/302?format=xml",
                                         blubridge::auth::make_basic_authorization(user, "not the password"));
    BOOST_TEST(wrong.status == 401u);
}

BOOST_AUTO_TEST_CASE(a_client_trusting_another_ca_fails_verification) {
    tls_stack s;
    ts::tls_client_options stranger;
    stranger.trusted_ca = s.pki.other_ca();
    const auto r = s.request("/rest/customer/302?format=xml", stranger);
    BOOST_TEST((r.handshake.category() == boost::asio::error::get_ssl_category()), r.handshake.message());
    BOOST_TEST(r.handshake.message().find("certificate verify failed") != std::string::npos, r.handshake.message());
    BOOST_TEST(r.status == 0u);
    BOOST_TEST(s.serves_a_customer());
}

BOOST_AUTO_TEST_CASE(tls_1_0_and_1_1_clients_are_refused) {
    tls_stack s;
    {
        permissive_tls_server control(s.pki);
        const auto r = ts::https_request("127.0.0.1", control.port(), legacy_only(s.pki), http::verb::get, "/");
        BOOST_TEST_REQUIRE(!r.handshake, "the legacy client cannot speak TLS 1.0/1.1 here: " + r.handshake.message());
        BOOST_TEST(r.protocol == "TLSv1.1");
    }
    for (const int version : {TLS1_VERSION, TLS1_1_VERSION}) {
        auto client = legacy_only(s.pki);
        client.min_version = client.max_version = version;
        const auto r = s.request("/rest/customer/302?format=xml", client);
        BOOST_TEST(r.handshake.failed(), "TLS version " << version << " was accepted");
        BOOST_TEST(r.handshake.message().find("protocol version") != std::string::npos, r.handshake.message());
        BOOST_TEST(r.status == 0u);
    }
    BOOST_TEST(s.serves_a_customer());
}

BOOST_AUTO_TEST_CASE(plain_http_on_the_tls_port_is_refused_and_others_are_still_served) {
    tls_stack s;
    http_client plain(s.stack.gateway->host(), s.stack.gateway->port());
    plain.capture_as("gateway");
    plain.set_basic_auth(user, password);
    const auto r = plain.get("/rest/customer/302?format=xml");
    BOOST_TEST(r.status == 400u, r.body);
    BOOST_TEST(r.body.find("HTTPS only") != std::string::npos, r.body);
    BOOST_TEST(r.body.find("<customer") == std::string::npos, r.body);
    BOOST_TEST(!r.keep_alive);
    BOOST_TEST(s.serves_a_customer());
}

BOOST_AUTO_TEST_CASE(a_client_that_never_handshakes_is_closed_at_the_header_timeout) {
    tls_stack s(false, "  header_timeout: 1s\n");
    const auto start = std::chrono::steady_clock::now();
    ts::raw_connection silent(s.stack.gateway->host(), s.stack.gateway->port());
    BOOST_TEST(silent.closed_by_peer(std::chrono::seconds(10)));
    BOOST_TEST((std::chrono::steady_clock::now() - start < std::chrono::seconds(5)));

    // Half a ClientHello gets no longer.
    ts::raw_connection slow(s.stack.gateway->host(), s.stack.gateway->port());
    slow.send(std::string("\x16\x03\x01\x02\x00", 5));
    BOOST_TEST(slow.closed_by_peer(std::chrono::seconds(10)));
    BOOST_TEST(s.serves_a_customer());
}

BOOST_AUTO_TEST_CASE(with_mtls_only_clients_with_a_certificate_from_the_ca_are_served) {
    tls_stack s(true);
    const auto with_cert = s.trusting_the_ca();
    BOOST_TEST_REQUIRE(with_cert.certificate == s.pki.client_cert());
    const auto served = s.request("/rest/customer/302?format=xml", with_cert);
    BOOST_TEST(served.status == 200u, served.handshake.message() + served.exchange.message());

    // TLS 1.3 clients learn of the refusal at their first read, after their handshake.
    ts::tls_client_options without_cert;
    without_cert.trusted_ca = s.pki.ca();
    const auto without = s.request("/rest/customer/302?format=xml", without_cert);
    BOOST_TEST(without.status == 0u, without.body);
    BOOST_TEST((without.handshake.failed() || without.exchange.failed()));
    BOOST_TEST((without.handshake.message() + without.exchange.message()).find("certificate required") !=
                   std::string::npos,
               without.handshake.message() + " / " + without.exchange.message());

    auto stranger = without_cert;
    stranger.certificate = s.pki.other_client_cert();
    stranger.private_key = s.pki.other_client_key();
    const auto refused = s.request("/rest/customer/302?format=xml", stranger);
    BOOST_TEST(refused.status == 0u, refused.body);

    const auto again = s.request("/readyz", with_cert);
    BOOST_TEST(again.status == 200u);
}

BOOST_AUTO_TEST_CASE(check_config_validates_the_certificate_and_key) {
    scratch_dir dir;
    const auto pki = ts::make_test_pki(dir.path / "pki");
    stack_options o;
    o.extra_config = pem_lines(pki, true);
    const auto config = write_config(dir, "http://127.0.0.1:9", o);
    const auto valid = check_config(config);
    BOOST_TEST(valid.exit_code == 0, valid.output);

    rewrite(config, pki.server_key().string(), pki.client_key().string());
    const auto mismatch = check_config(config);
    BOOST_TEST(mismatch.exit_code == 2, mismatch.output);
    BOOST_TEST(mismatch.output.find("key values mismatch") != std::string::npos, mismatch.output);

    rewrite(config, pki.client_key().string(), (dir.path / "absent.key").string());
    const auto missing = check_config(config);
    BOOST_TEST(missing.exit_code == 2, missing.output);
    BOOST_TEST(missing.output.find("cannot read " + (dir.path / "absent.key").string()) != std::string::npos,
               missing.output);
}

BOOST_AUTO_TEST_CASE(a_plain_listener_off_loopback_needs_allow_plain_http) {
    scratch_dir dir;
    const auto config = write_config(dir, "http://127.0.0.1:9");
    rewrite(config, "listen: 127.0.0.1:0", "listen: 0.0.0.0:8080");
    const auto refused = check_config(config);
    BOOST_TEST(refused.exit_code == 2, refused.output);
    BOOST_TEST(refused.output.find(config.string() + ":1:9: 'listen' is not a loopback address") != std::string::npos,
               refused.output);
    BOOST_TEST(refused.output.find("allow_plain_http") != std::string::npos, refused.output);

    std::ofstream(config, std::ios::app) << "allow_plain_http: true\n";
    const auto allowed = check_config(config);
    BOOST_TEST(allowed.exit_code == 0, allowed.output);
}

BOOST_AUTO_TEST_CASE(a_reload_reads_the_certificate_files_again) {
    namespace fs = std::filesystem;
    tls_stack s;
    scratch_dir next_dir;
    const auto next = ts::make_test_pki(next_dir.path);

    // A key that does not match the certificate: the reload is refused, the old pair serves on.
    fs::copy_file(next.server_key(), s.pki.server_key(), fs::copy_options::overwrite_existing);
    s.stack.gateway->signal(SIGHUP);
    BOOST_TEST_REQUIRE(s.stack.gateway->wait_for_output("reload: refused", std::chrono::seconds(30)),
                       s.stack.gateway->output());
    BOOST_TEST(s.stack.gateway->output().find("key values mismatch") != std::string::npos, s.stack.gateway->output());
    BOOST_TEST(s.serves_a_customer());

    // The whole new pair: new connections get the new certificate, which only the new CA verifies.
    fs::copy_file(next.server_cert(), s.pki.server_cert(), fs::copy_options::overwrite_existing);
    s.stack.gateway->signal(SIGHUP);
    BOOST_TEST_REQUIRE(s.stack.gateway->wait_for_output("reload: ok", std::chrono::seconds(30)),
                       s.stack.gateway->output());
    ts::tls_client_options new_ca;
    new_ca.trusted_ca = next.ca();
    const auto served = s.request("/rest/customer/302?format=xml", new_ca);
    BOOST_TEST(served.status == 200u, served.handshake.message());
    const auto old = s.request("/rest/customer/302?format=xml", s.trusting_the_ca());
    BOOST_TEST(old.handshake.message().find("certificate verify failed") != std::string::npos, old.handshake.message());
    BOOST_TEST(old.status == 0u);
}
