#include <blubridge/http/tls_context.hpp>

#include <boost/asio/ssl/context.hpp>

#include <openssl/err.h>
#include <openssl/ssl.h>

#include <string>

namespace blubridge::http_server {

namespace {

namespace ssl = boost::asio::ssl;

// Mozilla's "intermediate" configuration (ssl-config.mozilla.org, v5.7): every client of
// the last years, nothing without forward secrecy or AEAD.
constexpr const char* tls12_ciphers =
    "ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256:ECDHE-ECDSA-AES256-GCM-SHA384:"
    "ECDHE-RSA-AES256-GCM-SHA384:ECDHE-ECDSA-CHACHA20-POLY1305:ECDHE-RSA-CHACHA20-POLY1305:"
    "DHE-RSA-AES128-GCM-SHA256:DHE-RSA-AES256-GCM-SHA384:DHE-RSA-CHACHA20-POLY1305";
constexpr const char* tls13_suites = "TLS_AES_128_GCM_SHA256:TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256";
constexpr const char* groups = "X25519:prime256v1:secp384r1";

// Resumed TLS 1.2 sessions with client certificates need an id context.
constexpr unsigned char session_id_context[] = "blubridge";

// OpenSSL's reason for the last failure, its error queue emptied.
std::string openssl_reason() {
    const unsigned long code = ERR_peek_last_error();
    ERR_clear_error();
    if (code == 0) return "failed";
    const char* reason = ERR_reason_error_string(code);
    return reason != nullptr ? reason : "failed";
}

[[noreturn]] void fail(const std::string& what, const std::string& reason) { throw tls_error(what + ": " + reason); }

void check(const boost::system::error_code& ec, const std::string& what) {
    if (ec) fail(what, ec.message());
}

void check(int openssl_result, const std::string& what) {
    if (openssl_result != 1) fail(what, openssl_reason());
}

void set_protocol(ssl::context& ctx) {
    boost::system::error_code ec;
    ctx.set_options(ssl::context::default_workarounds | ssl::context::no_compression | ssl::context::single_dh_use, ec);
    check(ec, "TLS options");
    SSL_CTX* handle = ctx.native_handle();
    // Session-ticket keys would live as long as the process and undo forward secrecy
    // (Mozilla's advice): resumption uses the server's session cache instead.
    SSL_CTX_set_options(handle, SSL_OP_NO_RENEGOTIATION | SSL_OP_NO_TICKET);
    check(SSL_CTX_set_min_proto_version(handle, TLS1_2_VERSION), "TLS versions");
    check(SSL_CTX_set_cipher_list(handle, tls12_ciphers), "TLS 1.2 ciphers");
    check(SSL_CTX_set_ciphersuites(handle, tls13_suites), "TLS 1.3 cipher suites");
    check(SSL_CTX_set1_groups_list(handle, groups), "TLS key exchange groups");
    check(static_cast<int>(SSL_CTX_set_dh_auto(handle, 1)), "DHE parameters");
    check(SSL_CTX_set_session_id_context(handle, session_id_context, sizeof session_id_context - 1),
          "TLS session id context");
}

void load_credentials(ssl::context& ctx, const tls_settings& settings) {
    // An encrypted key must fail here, not prompt for a passphrase on a terminal.
    boost::system::error_code ec;
    ctx.set_password_callback([](std::size_t, ssl::context::password_purpose) { return std::string(); }, ec);
    check(ec, "TLS key passphrase");
    const auto chain = settings.certificate_chain.string();
    const auto key = settings.private_key.string();
    ctx.use_certificate_chain_file(chain, ec);
    check(ec, "certificate chain " + chain);
    ctx.use_private_key_file(key, ssl::context::pem, ec);
    check(ec, "private key " + key);
    check(SSL_CTX_check_private_key(ctx.native_handle()), "private key " + key + " and certificate " + chain);
}

// mTLS: the handshake fails without a client certificate the CA verifies, and the CA's
// name is sent so clients know which certificate to present.
void require_client_certificates(ssl::context& ctx, const std::filesystem::path& ca) {
    const auto file = ca.string();
    boost::system::error_code ec;
    ctx.load_verify_file(file, ec);
    check(ec, "client CA " + file);
    STACK_OF(X509_NAME)* names = SSL_load_client_CA_file(file.c_str());
    if (names == nullptr) fail("client CA " + file, openssl_reason());
    SSL_CTX_set_client_CA_list(ctx.native_handle(), names);
    ctx.set_verify_mode(ssl::verify_peer | ssl::verify_fail_if_no_peer_cert, ec);
    check(ec, "client certificate verification");
}

}  // namespace

std::shared_ptr<ssl::context> make_tls_context(const tls_settings& settings) {
    if (!settings.enabled()) return nullptr;
    ERR_clear_error();
    auto ctx = std::make_shared<ssl::context>(ssl::context::tls_server);
    set_protocol(*ctx);
    load_credentials(*ctx, settings);
    if (!settings.client_ca.empty()) require_client_certificates(*ctx, settings.client_ca);
    return ctx;
}

}  // namespace blubridge::http_server
