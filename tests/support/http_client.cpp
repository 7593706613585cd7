#include <test_support/http_client.hpp>
#include <test_support/leak_capture.hpp>
#include <test_support/wire_text.hpp>

#include <boost/asio/connect.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <blubridge/auth/basic_authenticator.hpp>

#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/beast/http/message.hpp>

namespace http = boost::beast::http;

namespace blubridge::test_support {

http_client::http_client(std::string host, unsigned short port, std::chrono::milliseconds timeout)
    : host_(std::move(host)), port_(port), timeout_(timeout) {}

void http_client::connect() {
    stream_.emplace(ioc_);
    stream_->expires_after(timeout_);
    stream_->connect(boost::asio::ip::tcp::endpoint(boost::asio::ip::make_address(host_), port_));
    buffer_.clear();
}

void http_client::disconnect() {
    if (stream_) {
        boost::system::error_code ignored;
        stream_->socket().shutdown(boost::asio::ip::tcp::socket::shutdown_both, ignored);
        stream_->socket().close(ignored);
    }
    stream_.reset();
}

void http_client::set_basic_auth(const std::string& user, const std::string& password) {
    authorization_ = blubridge::auth::make_basic_authorization(user, password);
}

http_client::result http_client::request(http::verb method, const std::string& target,
                                         std::string body, const header_list& headers) {
    http::request<http::string_body> req{method, target, 11};
    req.set(http::field::host, host_ + ":" + std::to_string(port_));
    req.set(http::field::user_agent, "blubridge-tests");
    if (authorization_) req.set(http::field::authorization, *authorization_);
    for (const auto& [name, value] : headers) req.set(name, value);
    req.body() = std::move(body);
    req.prepare_payload();
    const std::string title = std::string(req.method_string()) + " " + target;
    leak_capture::append(leak_capture::requests, peer_, title, wire_text(req));

    // A keep-alive connection the server has since closed fails on first use: retry once
    // on a fresh connection, as real clients do.
    for (int attempt = 0;; ++attempt) {
        const bool fresh = !stream_;
        if (fresh) connect();
        boost::system::error_code ec;
        stream_->expires_after(timeout_);
        http::write(*stream_, req, ec);
        http::response<http::string_body> res;
        if (!ec) {
            http::response_parser<http::string_body> parser;
            parser.body_limit(64 * 1024 * 1024);
            parser.skip(method == http::verb::head);
            http::read(*stream_, buffer_, parser, ec);
            if (!ec) res = parser.release();
            if (!ec) leak_capture::append(leak_capture::responses, peer_, title, wire_text(res));
        }
        if (ec) {
            disconnect();
            if (fresh || attempt > 0) throw boost::system::system_error(ec, "http_client " + target);
            continue;
        }
        result out;
        out.status = res.result_int();
        out.keep_alive = res.keep_alive();
        out.body = std::move(res.body());
        for (const auto& field : res.base()) out.headers.insert(field.name_string(), field.value());
        if (!out.keep_alive) disconnect();
        return out;
    }
}

}  // namespace blubridge::test_support
