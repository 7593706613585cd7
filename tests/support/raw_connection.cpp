#include <test_support/leak_capture.hpp>
#include <test_support/raw_connection.hpp>

#include <boost/asio/read.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/string_body.hpp>

#include <array>

namespace blubridge::test_support {

raw_connection::raw_connection(const std::string& host, unsigned short port) : socket_(ioc_) {
    socket_.connect({boost::asio::ip::make_address(host), port});
}

void raw_connection::send(std::string_view bytes) {
    leak_capture::append(leak_capture::requests, "raw", "sent", bytes);
    boost::asio::write(socket_, boost::asio::buffer(bytes.data(), bytes.size()));
}

// One read with a deadline, driven through the io_context so a silent peer cannot hang
// the test.
bool raw_connection::read_some(std::string& into, std::chrono::steady_clock::time_point deadline) {
    if (eof_) return false;
    std::array<char, 4096> chunk{};
    bool done = false;
    boost::system::error_code result;
    std::size_t got = 0;
    socket_.async_read_some(boost::asio::buffer(chunk), [&](boost::system::error_code ec, std::size_t n) {
        result = ec;
        got = n;
        done = true;
    });
    ioc_.restart();
    ioc_.run_until(deadline);
    if (!done) {
        socket_.cancel();
        ioc_.restart();
        ioc_.run();
        return false;
    }
    into.append(chunk.data(), got);
    if (result) eof_ = true;
    return !result;
}

std::string raw_connection::read_until_close(std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    std::string out;
    while (std::chrono::steady_clock::now() < deadline && read_some(out, deadline)) {
    }
    leak_capture::append(leak_capture::responses, "raw", "read until close", out);
    return out;
}

std::string raw_connection::read_responses(std::size_t count, std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    std::string out;
    while (count_responses(out) < count && std::chrono::steady_clock::now() < deadline &&
           read_some(out, deadline)) {
    }
    leak_capture::append(leak_capture::responses, "raw", "read responses", out);
    return out;
}

bool raw_connection::closed_by_peer(std::chrono::milliseconds timeout) {
    const auto deadline = std::chrono::steady_clock::now() + timeout;
    std::string unread;
    while (!eof_ && std::chrono::steady_clock::now() < deadline) read_some(unread, deadline);
    leak_capture::append(leak_capture::responses, "raw", "read until closed", unread);
    return eof_;
}

std::size_t count_responses(std::string_view bytes) {
    namespace http = boost::beast::http;
    std::size_t count = 0;
    while (!bytes.empty()) {
        http::response_parser<http::string_body> parser;
        parser.eager(true);
        boost::system::error_code ec;
        const auto used = parser.put(boost::asio::buffer(bytes.data(), bytes.size()), ec);
        if (ec || !parser.is_done()) break;
        ++count;
        bytes.remove_prefix(used);
    }
    return count;
}

}  // namespace blubridge::test_support
