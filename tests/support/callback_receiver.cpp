#include <test_support/callback_receiver.hpp>
#include <test_support/leak_capture.hpp>

#include <algorithm>
#include <sstream>

#include <fcntl.h>

#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>

namespace blubridge::test_support {

namespace net = boost::asio;
namespace http = boost::beast::http;

namespace {

// Asio opens sockets without close-on-exec: the processes the tests start (gateway,
// sandbox) would inherit the listening socket and keep the port after a pause.
void keep_from_children(int fd) { ::fcntl(fd, F_SETFD, ::fcntl(fd, F_GETFD) | FD_CLOEXEC); }

}  // namespace

callback_receiver::callback_receiver(unsigned short port) : acceptor_(ioc_), placeholder_(ioc_) {
    port_ = port;
    listen();
}

callback_receiver::~callback_receiver() { stop_serving(); }

void callback_receiver::listen() {
    const net::ip::tcp::endpoint at{net::ip::make_address("127.0.0.1"), port_};
    acceptor_.open(at.protocol());
    keep_from_children(acceptor_.native_handle());
    acceptor_.set_option(net::socket_base::reuse_address(true));
    acceptor_.bind(at);
    acceptor_.listen();
    port_ = acceptor_.local_endpoint().port();
    stopping_ = false;
    thread_ = std::thread([this] { serve(); });
}

void callback_receiver::stop_serving() {
    if (!thread_.joinable()) return;
    stopping_ = true;
    // A blocking accept does not notice a close from another thread: wake it by connecting.
    boost::system::error_code ignored;
    net::ip::tcp::socket waker(ioc_);
    waker.connect({net::ip::make_address("127.0.0.1"), port_}, ignored);
    thread_.join();
    acceptor_.close(ignored);
}

void callback_receiver::pause() {
    stop_serving();
    placeholder_.open(net::ip::tcp::v4());
    keep_from_children(placeholder_.native_handle());
    placeholder_.set_option(net::socket_base::reuse_address(true));
    placeholder_.bind({net::ip::make_address("127.0.0.1"), port_});  // bound, not listening: refused
}

void callback_receiver::resume() {
    boost::system::error_code ignored;
    placeholder_.close(ignored);
    listen();
}

std::string callback_receiver::url(const std::string& path) const {
    return "http://127.0.0.1:" + std::to_string(port_) + path;
}

std::vector<callback_receiver::received> callback_receiver::requests() const {
    std::lock_guard lock(mutex_);
    return requests_;
}

bool callback_receiver::wait_for(std::size_t count, std::chrono::milliseconds timeout) const {
    std::unique_lock lock(mutex_);
    return arrived_.wait_for(lock, timeout, [&] { return requests_.size() >= count; });
}

bool callback_receiver::wait_for_accepted(const std::string& needle, std::chrono::milliseconds timeout) const {
    std::unique_lock lock(mutex_);
    return arrived_.wait_for(lock, timeout, [&] {
        return std::any_of(requests_.begin(), requests_.end(), [&](const received& r) {
            return r.answered / 100 == 2 && r.body.find(needle) != std::string::npos;
        });
    });
}

// One connection at a time, one request per connection (answers say Connection: close),
// so an idle keep-alive connection can never hold the receiver.
void callback_receiver::serve() {
    while (!stopping_) {
        boost::system::error_code ec;
        net::ip::tcp::socket socket(ioc_);
        acceptor_.accept(socket, ec);
        if (ec || stopping_) return;
        serve_connection(std::move(socket));
    }
}

void callback_receiver::serve_connection(net::ip::tcp::socket socket) {
    boost::beast::flat_buffer buffer;
    http::request<http::string_body> req;
    boost::system::error_code ec;
    http::read(socket, buffer, req, ec);
    if (ec) return;
    std::ostringstream wire;
    wire << req.base() << req.body();
    leak_capture::append(leak_capture::callbacks, "website", std::string(req.method_string()) + " " +
                         std::string(req.target()), wire.str());
    const unsigned status = status_.load();
    {
        std::lock_guard lock(mutex_);
        requests_.push_back({std::string(req.method_string()), std::string(req.target()),
                             std::string(req[http::field::content_type]), req.body(), status});
    }
    arrived_.notify_all();
    http::response<http::string_body> res{static_cast<http::status>(status), req.version()};
    res.keep_alive(false);
    res.prepare_payload();
    http::write(socket, res, ec);
}

}  // namespace blubridge::test_support
