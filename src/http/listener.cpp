#include "listener.hpp"

#include <blubridge/http/io_threads.hpp>

#include "detail/descriptor_budget.hpp"
#include "detail/use_nothrow.hpp"
#include "session.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/strand.hpp>

#include <sys/socket.h>

#include <cerrno>
#include <chrono>
#include <vector>

namespace blubridge::http_server {

using detail::use_nothrow;

namespace {
// Pause after an accept error such as EMFILE, so the loop does not spin.
constexpr auto accept_backoff = std::chrono::milliseconds(50);
// How long a turned-away client gets to receive its 503.
constexpr auto turn_away_timeout = std::chrono::seconds(2);
// Turned-away clients being answered at once; beyond this a flood is closed unanswered,
// so shedding itself cannot use up the descriptors it protects (within the reserve).
constexpr std::size_t max_turning_away = 32;
}  // namespace

listener::listener(net::io_context& ioc, std::shared_ptr<handler> app, server_limits limits)
    : ioc_(ioc),
      acceptor_(net::make_strand(ioc)),
      app_(std::move(app)),
      limits_(limits),
      max_connections_(detail::connections_within_descriptor_limit(limits.max_connections)),
      drain_timer_(acceptor_.get_executor()) {}

listener::listener(io_threads& threads, std::shared_ptr<handler> app, server_limits limits)
    : listener(threads.at(0), std::move(app), limits) {
    threads_ = &threads;
}

boost::system::error_code listener::listen(const net::ip::tcp::endpoint& endpoint) {
    boost::system::error_code ec;
    acceptor_.open(endpoint.protocol(), ec);
    if (!ec) acceptor_.set_option(net::socket_base::reuse_address(true), ec);
    if (!ec) acceptor_.bind(endpoint, ec);
    if (!ec) acceptor_.listen(net::socket_base::max_listen_connections, ec);
    if (ec) {
        boost::system::error_code ignored;
        acceptor_.close(ignored);
    }
    return ec;
}

boost::system::error_code listener::adopt(int native_socket) {
    sockaddr_storage address{};
    socklen_t length = sizeof address;
    int accepting = 0;
    socklen_t flag_length = sizeof accepting;
    if (::getsockname(native_socket, reinterpret_cast<sockaddr*>(&address), &length) != 0 ||
        ::getsockopt(native_socket, SOL_SOCKET, SO_ACCEPTCONN, &accepting, &flag_length) != 0) {
        return {errno, boost::system::system_category()};
    }
    if (address.ss_family != AF_INET && address.ss_family != AF_INET6) return net::error::address_family_not_supported;
    if (accepting == 0) return net::error::invalid_argument;  // bound but not listening
    boost::system::error_code ec;
    acceptor_.assign(address.ss_family == AF_INET ? net::ip::tcp::v4() : net::ip::tcp::v6(), native_socket, ec);
    return ec;
}

net::ip::tcp::endpoint listener::local_endpoint() const {
    boost::system::error_code ec;
    return acceptor_.local_endpoint(ec);
}

void listener::start() {
    net::co_spawn(acceptor_.get_executor(),
                  [self = shared_from_this()] { return self->accept_loop(); }, net::detached);
}

net::awaitable<void> listener::accept_loop() {
    net::steady_timer backoff(acceptor_.get_executor());
    while (acceptor_.is_open()) {
        // With io_threads a connection lives on one single-threaded context: no strand needed.
        const auto home = threads_ ? net::any_io_executor(threads_->next().get_executor())
                                   : net::any_io_executor(net::make_strand(ioc_));
        auto [ec, socket] = co_await acceptor_.async_accept(home, use_nothrow);
        if (ec == net::error::operation_aborted || !acceptor_.is_open()) break;
        if (ec) {
            backoff.expires_after(accept_backoff);
            co_await backoff.async_wait(use_nothrow);
            continue;
        }
        admit(std::move(socket));
    }
}

void listener::admit(net::ip::tcp::socket socket) {
    boost::system::error_code ignored;
    socket.set_option(net::ip::tcp::no_delay(true), ignored);

    std::shared_ptr<session> s;
    {
        std::lock_guard lock(mutex_);
        if (stopping_) return;
        if (sessions_.size() >= max_connections_) {
            if (turning_away_ >= max_turning_away) return;  // the socket closes unanswered
            ++turning_away_;
            auto executor = socket.get_executor();
            net::co_spawn(executor,
                          [self = shared_from_this(), s = std::move(socket), tls = tls_]() mutable {
                              return self->turn_away(std::move(s), std::move(tls));
                          },
                          net::detached);
            return;
        }
        s = make_session(std::move(socket), tls_, app_, limits_,
                         [self = shared_from_this()](session* closed) { self->on_session_closed(closed); });
        sessions_.emplace(s.get(), s);
    }
    s->start();
}

net::awaitable<void> listener::turn_away(net::ip::tcp::socket socket, std::shared_ptr<net::ssl::context> tls) {
    co_await refuse_over_limit(std::move(socket), std::move(tls), *app_, turn_away_timeout);
    std::lock_guard lock(mutex_);
    --turning_away_;
}

void listener::on_session_closed(session* s) {
    std::lock_guard lock(mutex_);
    sessions_.erase(s);
    if (stopping_ && sessions_.empty()) {
        net::post(drain_timer_.get_executor(), [self = shared_from_this()] {
            self->drain_timer_.cancel();
        });
    }
}

void listener::shutdown() {
    std::vector<std::shared_ptr<session>> live;
    {
        std::lock_guard lock(mutex_);
        if (stopping_) return;
        stopping_ = true;
        for (auto& [ptr, weak] : sessions_) {
            if (auto s = weak.lock()) live.push_back(std::move(s));
        }
    }
    net::post(acceptor_.get_executor(), [self = shared_from_this()] {
        boost::system::error_code ignored;
        self->acceptor_.close(ignored);
        // Checked here, on the timer's strand, so a last session closing in between
        // cannot leave the timer armed with nothing to drain.
        if (self->connection_count() == 0) return;
        self->drain_timer_.expires_after(self->limits_.drain_timeout);
        self->drain_timer_.async_wait([self](boost::system::error_code ec) {
            if (!ec) self->on_drain_deadline();
        });
    });
    for (auto& s : live) s->stop();
}

// In-flight work that outlived the drain budget is cut off; the process must end.
void listener::on_drain_deadline() {
    std::vector<std::shared_ptr<session>> live;
    {
        std::lock_guard lock(mutex_);
        if (sessions_.empty()) return;
        for (auto& [ptr, weak] : sessions_) {
            if (auto s = weak.lock()) live.push_back(std::move(s));
        }
    }
    for (auto& s : live) s->abort();
    if (threads_) threads_->stop();
    else ioc_.stop();
}

std::size_t listener::connection_limit() const { return max_connections_; }

void listener::replace_tls(std::shared_ptr<net::ssl::context> tls) {
    std::lock_guard lock(mutex_);
    tls_ = std::move(tls);
}

std::size_t listener::connection_count() const {
    std::lock_guard lock(mutex_);
    return sessions_.size();
}

}  // namespace blubridge::http_server
