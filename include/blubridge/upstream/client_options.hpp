#pragma once
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>

namespace blubridge::upstream {

/// When a failed request is sent again.
struct retry_policy {
    /// Attempts for GET and HEAD when the connection was refused, reset or closed before
    /// a response arrived. Default 2 (one retry). Timeouts are never retried.
    unsigned idempotent_attempts = 2;
    /// Attempts for any other method, only when the connection could not be opened
    /// (nothing was sent). A request that may have reached the upstream is never retried.
    unsigned unsent_attempts = 2;
};

/// Settings of one upstream host's connection pool.
struct client_options {
    /// `http://host:port[/prefix]` or `https://host[:port][/prefix]`.
    std::string base_url;
    /// PEM bundle of extra trusted CAs for https (a private CA); empty: system store only.
    std::string ca_file;
    /// Verify the certificate chain and host name (https). Default true.
    bool verify_peer = true;
    /// TCP connect plus TLS handshake. Default 5 s.
    std::chrono::milliseconds connect_timeout{std::chrono::seconds(5)};
    /// Writing the request and reading the whole response. Default 30 s.
    std::chrono::milliseconds request_timeout{std::chrono::seconds(30)};
    /// Pooled connections idle longer than this are closed, before the upstream's own
    /// keep-alive timeout can catch a request in flight. Default 20 s.
    std::chrono::milliseconds idle_timeout{std::chrono::seconds(20)};
    /// Open connections to the host, busy or idle. Default 64.
    std::size_t max_connections = 64;
    /// Requests allowed to wait for a busy connection; more fail at once with
    /// `error::pool_exhausted`. Default 1024.
    std::size_t max_waiting = 1024;
    /// Largest response body accepted. Default 32 MiB.
    std::uint64_t max_response_bytes = 32ull * 1024 * 1024;
    retry_policy retry;
};

}  // namespace blubridge::upstream
