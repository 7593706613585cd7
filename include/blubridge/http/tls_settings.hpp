#pragma once
#include <filesystem>

namespace blubridge::http_server {

/// Where a TLS listener's credentials are (`tls:` of the gateway configuration), as PEM
/// files. The protocol versions (TLS 1.2 and 1.3) and cipher suites are fixed: see
/// `make_tls_context`.
struct tls_settings {
    /// The server certificate first, then the intermediates up to (not including) the root.
    std::filesystem::path certificate_chain;
    /// The certificate's private key, unencrypted (readable by the service only).
    std::filesystem::path private_key;
    /// When set, clients must present a certificate that this CA bundle verifies (mTLS).
    std::filesystem::path client_ca;

    /// Whether the listener serves HTTPS (a certificate is configured).
    bool enabled() const { return !certificate_chain.empty(); }

    bool operator==(const tls_settings&) const = default;
};

}  // namespace blubridge::http_server
