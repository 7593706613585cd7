#pragma once
// A small synchronous HTTP/1.1 client for integration tests: keep-alive, reconnects
// when the server closed the connection, optional Basic credentials.
#include <boost/asio/io_context.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/fields.hpp>
#include <boost/beast/http/verb.hpp>

#include <chrono>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace blubridge::test_support {

class http_client {
public:
    struct result {
        unsigned status = 0;
        std::string body;
        boost::beast::http::fields headers;
        bool keep_alive = false;
    };
    using header_list = std::vector<std::pair<std::string, std::string>>;

    http_client(std::string host, unsigned short port,
                std::chrono::milliseconds timeout = std::chrono::seconds(30));

    /// Sends one request and reads the answer. Throws boost::system::system_error on I/O
    /// failure (a test failure, reported by Boost.Test with the message).
    result request(boost::beast::http::verb method, const std::string& target,
                   std::string body = {}, const header_list& headers = {});

    result get(const std::string& target) { return request(boost::beast::http::verb::get, target); }

    /// Sends `Authorization: Basic base64(user:password)` with every request from now on.
    void set_basic_auth(const std::string& user, const std::string& password);
    void clear_auth() { authorization_.reset(); }

    /// Names the server in the leak capture (test_support/leak_capture.hpp), which records
    /// every request and response when BLUBRIDGE_LEAK_DIR is set; default "server".
    void capture_as(std::string peer) { peer_ = std::move(peer); }

    /// Drops the connection; the next request opens a new one.
    void disconnect();

    /// Talks to another server from now on (a restarted process on a new port).
    void retarget(std::string host, unsigned short port) {
        disconnect();
        host_ = std::move(host);
        port_ = port;
    }

private:
    void connect();

    std::string host_;
    unsigned short port_;
    std::chrono::milliseconds timeout_;
    boost::asio::io_context ioc_;
    std::optional<boost::beast::tcp_stream> stream_;
    boost::beast::flat_buffer buffer_;
    std::optional<std::string> authorization_;
    std::string peer_ = "server";
};

}  // namespace blubridge::test_support
