#include <blubridge/http/server.hpp>

#include "listener.hpp"

namespace blubridge::http_server {

server::server(net::io_context& ioc, std::shared_ptr<handler> app, server_limits limits,
               std::shared_ptr<net::ssl::context> tls)
    : listener_(std::make_shared<listener>(ioc, std::move(app), limits)) {
    listener_->replace_tls(std::move(tls));
}

server::server(io_threads& threads, std::shared_ptr<handler> app, server_limits limits,
               std::shared_ptr<net::ssl::context> tls)
    : listener_(std::make_shared<listener>(threads, std::move(app), limits)) {
    listener_->replace_tls(std::move(tls));
}

server::~server() = default;

boost::system::error_code server::listen(const net::ip::tcp::endpoint& endpoint) {
    return listener_->listen(endpoint);
}

boost::system::error_code server::adopt(int native_socket) { return listener_->adopt(native_socket); }

net::ip::tcp::endpoint server::local_endpoint() const { return listener_->local_endpoint(); }

void server::start() { listener_->start(); }

void server::shutdown() { listener_->shutdown(); }

std::size_t server::connection_count() const { return listener_->connection_count(); }

std::size_t server::connection_limit() const { return listener_->connection_limit(); }

void server::replace_tls(std::shared_ptr<net::ssl::context> tls) { listener_->replace_tls(std::move(tls)); }

}  // namespace blubridge::http_server
