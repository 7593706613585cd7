#pragma once
#include <chrono>
#include <cstddef>
#include <cstdint>

namespace blubridge::http_server {

/// Per-connection limits and timeouts. Every read and write refreshes its own deadline.
struct server_limits {
    /// From the first byte of a request to the end of its header. Default 10 s.
    std::chrono::milliseconds header_timeout{std::chrono::seconds(10)};
    /// For reading a request body. Default 30 s.
    std::chrono::milliseconds body_timeout{std::chrono::seconds(30)};
    /// How long a keep-alive connection may sit between requests. Default 60 s.
    std::chrono::milliseconds idle_timeout{std::chrono::seconds(60)};
    /// For writing one response. Default 30 s.
    std::chrono::milliseconds write_timeout{std::chrono::seconds(30)};
    /// On graceful shutdown, how long in-flight requests may take before the
    /// remaining connections are cut. Default 10 s.
    std::chrono::milliseconds drain_timeout{std::chrono::seconds(10)};
    /// Largest request header (start line and fields). Default 8 KiB; larger gets 431.
    std::uint32_t header_limit = 8 * 1024;
    /// Longest request line (method, target, version). Default 4 KiB; longer gets 414.
    std::uint32_t request_line_limit = 4 * 1024;
    /// Largest request body. Default 1 MiB; larger gets 413.
    std::uint64_t body_limit = 1024 * 1024;
    /// Simultaneous connections; one more gets 503 and is closed. Default 10,000.
    std::size_t max_connections = 10'000;

    bool operator==(const server_limits&) const = default;
};

}  // namespace blubridge::http_server
