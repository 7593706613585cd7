#pragma once
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <string>

namespace blubridge::upstream {

/// When a failed request is sent again, how often, and how long to wait first.
///
/// Only requests that cannot do harm twice are retried: GET and HEAD after the connection
/// was refused, reset or closed before a response arrived, and any method when the
/// connection could not be opened (nothing was sent). Timeouts and HTTP error statuses are
/// never retried. Every retry also needs room in the host's retry budget and must finish its
/// back-off before the request's deadline.
struct retry_policy {
    /// Attempts for GET and HEAD (first try included). Default 2 (one retry).
    unsigned idempotent_attempts = 2;
    /// Attempts for any other method, only when nothing was sent. Default 2.
    unsigned unsent_attempts = 2;

    /// Retry budget, shared by every request to the host: a retry may go out while the
    /// retries of the last `budget_window` stay within this percentage of the requests
    /// (first attempts) of that window. Default 20 (at most 20 % extra requests).
    unsigned budget_percent = 20;
    /// ... or while fewer than this many retries went out in the last second, so a quiet
    /// host can still be retried. Default 3. 0 with `budget_percent` 0: no retries.
    unsigned min_retries_per_second = 3;
    /// The sliding window of the percentage, counted in whole seconds. Default 10 s.
    std::chrono::seconds budget_window{10};

    /// Back-off before retry n (n = 1 for the first): a wait drawn uniformly from
    /// [0, min(backoff_max, backoff_base × 2^(n−1))] ("full jitter"), so clients that
    /// failed together do not come back together. Defaults 25 ms and 250 ms.
    std::chrono::milliseconds backoff_base{25};
    std::chrono::milliseconds backoff_max{250};

    bool operator==(const retry_policy&) const = default;
};

/// When the client stops sending to a failing host for a while (a circuit breaker).
///
/// Closed: requests go through. After `failure_threshold` consecutive failed attempts (an
/// HTTP 5xx answer, a timeout, a connection that could not be opened, was lost or carried no
/// readable answer) it opens: every request fails at once with `error::circuit_open`,
/// nothing reaches the host. After `open_interval` one request (the probe) is let through
/// (half-open): its success closes the breaker, its failure opens it again for another
/// `open_interval`. Any other answer (2xx–4xx) counts as a success.
struct breaker_policy {
    /// Consecutive failures that open the breaker. Default 5; 0 = never opens.
    unsigned failure_threshold = 5;
    /// How long it stays open before the probe. Default 5 s.
    std::chrono::milliseconds open_interval{std::chrono::seconds(5)};

    bool operator==(const breaker_policy&) const = default;
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
    ///
    /// One `send` — waiting for a free connection, connecting, every attempt and the
    /// back-off between them — ends within `connect_timeout + request_timeout` of its start
    /// (the request's deadline); each step is also bounded by its own timeout.
    std::chrono::milliseconds request_timeout{std::chrono::seconds(30)};
    /// Pooled connections idle longer than this are closed, before the upstream's own
    /// keep-alive timeout can catch a request in flight. Default 20 s.
    std::chrono::milliseconds idle_timeout{std::chrono::seconds(20)};
    /// Open connections to the host, busy or idle. Default 64.
    std::size_t max_connections = 64;
    /// Requests allowed to wait for a busy connection; more fail at once with
    /// `error::pool_exhausted`. Default 20,000: the two reads of a GET for each of the
    /// 10,000 client connections the server allows by default, so a busy gateway queues
    /// (each wait bounded by the request's deadline) rather than refusing. With the old
    /// 1,024, 1,000 keep-alive clients got 503s.
    std::size_t max_waiting = 20'000;
    /// Largest response body accepted. Default 32 MiB.
    std::uint64_t max_response_bytes = 32ull * 1024 * 1024;
    retry_policy retry;
    breaker_policy breaker;

    bool operator==(const client_options&) const = default;
};

}  // namespace blubridge::upstream
