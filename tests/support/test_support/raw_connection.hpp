#pragma once
// A bare TCP connection for protocol tests: send exact bytes, read what comes back.
// Both go to the leak capture (peer "raw"), what each read call returned as one record.
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>

#include <chrono>
#include <string>
#include <string_view>

namespace blubridge::test_support {

class raw_connection {
public:
    raw_connection(const std::string& host, unsigned short port);

    void send(std::string_view bytes);

    /// Reads until the peer closes the connection or `timeout` passes; returns the bytes.
    std::string read_until_close(std::chrono::milliseconds timeout = std::chrono::seconds(10));

    /// Reads until `count` complete HTTP responses have arrived (by counting status lines
    /// and Content-Length bodies), the peer closes, or `timeout` passes.
    std::string read_responses(std::size_t count,
                               std::chrono::milliseconds timeout = std::chrono::seconds(10));

    /// True once the peer has closed the connection (checked by a read within `timeout`).
    bool closed_by_peer(std::chrono::milliseconds timeout = std::chrono::seconds(10));

private:
    bool read_some(std::string& into, std::chrono::steady_clock::time_point deadline);

    boost::asio::io_context ioc_;
    boost::asio::ip::tcp::socket socket_;
    bool eof_ = false;
};

/// Counts complete HTTP/1.1 responses (with Content-Length bodies) at the start of `bytes`.
std::size_t count_responses(std::string_view bytes);

}  // namespace blubridge::test_support
