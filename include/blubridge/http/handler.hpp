#pragma once
#include <blubridge/http/connection_info.hpp>
#include <blubridge/http/message.hpp>

#include <boost/asio/awaitable.hpp>

#include <string_view>

namespace blubridge::http_server {

/// Application logic behind the server: turns one complete request into a reply.
///
/// One handler serves every connection, so `handle` is called concurrently from
/// several threads and must be thread-safe. It must not throw: failures become
/// error responses in the protocol the handler speaks.
class handler {
public:
    virtual ~handler() = default;

    /// Answers one request that arrived on the connection `conn` describes. Runs on the
    /// connection's strand; may suspend. The request is well framed: the server has
    /// already refused ambiguous or malformed ones (see `session`).
    virtual boost::asio::awaitable<reply> handle(request req, connection_info conn) = 0;

    /// Builds the answer for a request the server refused before the handler saw it
    /// (malformed HTTP, header or body over the limit, too many connections).
    /// `version` is the request's HTTP version (11 when unknown).
    /// The default is a plain-text body; protocol-specific handlers override it so
    /// clients always get errors in the format they parse.
    virtual response protocol_error(http::status status, std::string_view reason,
                                    unsigned version) const;
};

}  // namespace blubridge::http_server
