#pragma once
// One HTTPS request per connection, for the TLS tests: what the handshake did and what the
// server answered, with the client's TLS versions, trust and certificate chosen per call.
#include <boost/beast/http/verb.hpp>
#include <boost/system/error_code.hpp>

#include <chrono>
#include <filesystem>
#include <string>

namespace blubridge::test_support {

struct tls_client_options {
    std::filesystem::path trusted_ca;   ///< the only CA the client trusts (empty: verify nothing)
    std::filesystem::path certificate;  ///< client certificate (mTLS); empty: none
    std::filesystem::path private_key;
    /// OpenSSL protocol version bounds (TLS1_VERSION …); 0: the library's defaults.
    int min_version = 0;
    int max_version = 0;
    /// Security level 0, which OpenSSL 3 needs to offer TLS 1.0 or 1.1 at all.
    bool allow_legacy = false;
    std::chrono::milliseconds timeout = std::chrono::seconds(10);
};

struct tls_exchange {
    boost::system::error_code handshake;  ///< the client's handshake (verification included)
    boost::system::error_code exchange;   ///< writing the request or reading the answer
    std::string protocol;                 ///< "TLSv1.3", … once the handshake succeeded
    unsigned status = 0;                  ///< the response's, 0 when none arrived
    std::string body;
};

/// Connects to `host:port`, handshakes (verifying the server's certificate against
/// `options.trusted_ca` and `host`), sends `method target` with `authorization` if not
/// empty, reads the answer and closes. Never throws on a network or TLS failure: the
/// result says where it stopped. Requests and responses go to the leak capture
/// (peer "gateway").
tls_exchange https_request(const std::string& host, unsigned short port, const tls_client_options& options,
                           boost::beast::http::verb method, const std::string& target,
                           const std::string& authorization = {});

}  // namespace blubridge::test_support
