#pragma once
#include <blubridge/http/tls_settings.hpp>

#include <memory>
#include <stdexcept>

namespace boost::asio::ssl {
class context;
}  // namespace boost::asio::ssl

namespace blubridge::http_server {

/// Why `make_tls_context` could not build a context: which file, and OpenSSL's reason.
class tls_error : public std::runtime_error {
    using std::runtime_error::runtime_error;
};

/// A server TLS context for `settings`, read from its files now (call it again to pick up
/// a renewed certificate): TLS 1.2 and 1.3 only, Mozilla's "intermediate" cipher suites
/// (ECDHE with AES-GCM or ChaCha20-Poly1305; DHE-RSA with automatic parameters), no
/// compression, no renegotiation, no session tickets (the server's cache resumes sessions).
/// The key must match the certificate and be unencrypted. With `client_ca`, a client
/// without a certificate that CA verifies fails the handshake. Null when `settings` is not
/// `enabled()` (plain HTTP), so `server::replace_tls(make_tls_context(s))` fits both.
/// Throws `tls_error`.
std::shared_ptr<boost::asio::ssl::context> make_tls_context(const tls_settings& settings);

}  // namespace blubridge::http_server
