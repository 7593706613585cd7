#pragma once
#include <blubridge/net.hpp>

#include <boost/asio/ip/tcp.hpp>

namespace blubridge::http_server {

/// What the server knows of the connection a request came on.
struct connection_info {
    /// The client's address and port (unspecified if the socket could not tell).
    net::ip::tcp::endpoint remote;
};

}  // namespace blubridge::http_server
